/**
 * Catalog jobs in the calling thread, for a process that has nothing else to do while it syncs
 * (the CLI): the same job as a worker's (catalog-job.ts), without a thread to start.
 */
import { runJob } from './catalog-job.js';
import { errorFromData, type CatalogJob } from './protocol.js';
import type { JobRunner, Progress } from './worker-pool.js';

/** Thrown into a job to stop it once its caller gave up on it. */
class Stopped extends Error {}

export class InThread implements JobRunner {
  run<T>(job: CatalogJob, _transfer: ArrayBuffer[], _size: number, onProgress: (message: Progress) => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      runJob(job, (report) => {
        if (settled) return;
        if (report.type === 'failed') {
          settled = true;
          reject(errorFromData(report.error));
          return;
        }
        let result: T | undefined;
        try {
          result = onProgress({ ...report, id: 0 });
        } catch (err) {
          settled = true;
          reject(err);
          throw new Stopped();
        }
        if (result === undefined) return;
        settled = true;
        resolve(result);
      });
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

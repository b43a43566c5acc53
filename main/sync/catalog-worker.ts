/**
 * A catalog worker (a worker_threads thread): everything a catalog sync does with the data, so
 * that none of it runs on the main thread, which answers every IPC call. For each job it is sent,
 * it reads list_iso's answer (envelope, payload, every image checked by the lean decoder), builds
 * the catalog's file (rows, then indexes), and says when each is ready; the main thread publishes
 * the file (see catalog-sync.ts). Or, for a file whose build stopped after its rows, it builds the
 * indexes.
 */
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { decodeRawAnswer } from '../api/envelope.js';
import { decodeIsoList } from '../api/iso-list.js';
import { CatalogBuilder } from '../cache/catalog-files.js';
import type { IsoImage } from '../domain/models.js';
import { errorData, readJob, type CatalogJob, type StepTimes, type WorkerMessage } from './protocol.js';

const now = (): number => performance.timeOrigin + performance.now();

/** Posts under the id of the job being run. */
let post: (message: DistributiveOmit<WorkerMessage, 'id'>) => void = () => undefined;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The images of the answer; the answer's text and parsed form are garbage once this returns. */
function decode(job: Extract<CatalogJob, { kind: 'build' }>): IsoImage[] {
  const body = decodeRawAnswer({ status: job.status, body: job.body, retryAfterMs: job.retryAfterMs, contentType: job.contentType }, { action: 'list_iso' });
  return decodeIsoList('list_iso', body);
}

function build(job: Extract<CatalogJob, { kind: 'build' }>): void {
  const times: StepTimes = {};
  let isos: IsoImage[] | null = decode(job);
  times.decoded = now();
  const builder = CatalogBuilder.create(job.directory, job.nativeBinding);
  try {
    builder.writeRows(isos);
    const built = { file: path.basename(builder.file), row_count: isos.length };
    // The indexes are built from the rows in the file: the images need not stay in memory.
    isos = null;
    if (job.shareRows) {
      builder.shareRows();
      times.rows = now();
      post({ type: 'rows', built, times: { ...times } });
    }
    builder.writeIndexes();
    builder.finish();
    times.indexed = now();
    post({ type: 'indexed', built, times });
  } catch (err) {
    builder.discard();
    throw err;
  }
}

function index(job: Extract<CatalogJob, { kind: 'index' }>): void {
  const builder = CatalogBuilder.resume(path.join(job.directory, job.file), job.nativeBinding);
  builder.writeIndexes();
  builder.finish();
  post({ type: 'indexed', built: { file: job.file, row_count: 0 }, times: { indexed: now() } });
}

parentPort?.on('message', (message: unknown) => {
  let id = 0;
  try {
    const received = readJob(message);
    id = received.id;
    post = (answer) => parentPort?.postMessage({ ...answer, id });
    if (received.job.kind === 'build') build(received.job);
    else index(received.job);
  } catch (err) {
    parentPort?.postMessage({ id, type: 'failed', error: errorData(err) });
  }
});

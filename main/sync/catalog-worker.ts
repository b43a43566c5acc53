/**
 * The catalog worker (a worker_threads thread): runs the catalog jobs the main thread posts (see
 * catalog-job.ts), so that none of a sync's work runs on the main thread, which answers every IPC
 * call. One job at a time; each message back carries its job's id.
 */
import { parentPort } from 'node:worker_threads';
import { runJob } from './catalog-job.js';
import { errorData, readJob } from './protocol.js';

parentPort?.on('message', (message: unknown) => {
  let received;
  try {
    received = readJob(message);
  } catch (err) {
    parentPort?.postMessage({ id: 0, type: 'failed', error: errorData(err) });
    return;
  }
  const { id, job } = received;
  runJob(job, (report) => parentPort?.postMessage({ ...report, id }));
});

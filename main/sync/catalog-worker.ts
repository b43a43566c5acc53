/**
 * The catalog worker (a worker_threads thread): runs the catalog jobs the main thread posts (see
 * catalog-job.ts), so that none of a sync's work runs on the main thread, which answers every IPC
 * call. One job at a time; each message back carries its job's id. A job stops at its next
 * checkpoint once the stop flag is set; the worker ends when told to (END), by closing its port.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runJob } from './catalog-job.js';
import { errorData, isEnd, readJob, readWorkerStart } from './protocol.js';

const stop = new Int32Array(readWorkerStart(workerData).stop);
const stopped = (): boolean => Atomics.load(stop, 0) !== 0;

parentPort?.on('message', (message: unknown) => {
  if (isEnd(message)) {
    parentPort?.close();
    return;
  }
  let received;
  try {
    received = readJob(message);
  } catch (err) {
    parentPort?.postMessage({ id: 0, type: 'failed', error: errorData(err) });
    return;
  }
  const { id, job } = received;
  runJob(job, (report) => parentPort?.postMessage({ ...report, id }), stopped);
});

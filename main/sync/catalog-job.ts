/**
 * What a catalog sync does with the data, wherever it runs (a worker thread for the app; the
 * calling thread for the CLI, see catalog-sync.ts): read list_iso's answer (envelope, payload,
 * every image checked by the lean decoder), build the catalog's file (rows, then indexes) and say
 * when each is ready; the caller publishes the file. Or, for a file whose build stopped after its
 * rows, build the indexes.
 */
import path from 'node:path';
import { inspectAnswer, inspectRefusal, shapeOf } from '../api/answers.js';
import { decodeRawAnswer, type Body } from '../api/envelope.js';
import { decodeIsoList } from '../api/iso-list.js';
import { compareWithPrevious } from '../cache/catalog-changes.js';
import { CatalogBuilder } from '../cache/catalog-files.js';
import type { Checkpoint } from '../cache/catalog-table.js';
import type { Finding } from '../domain/diagnostics.js';
import type { IsoImage } from '../domain/models.js';
import { errorData, stoppedError, type CatalogJob, type StepTimes, type WorkerMessage } from './protocol.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A message of the job, before it is given the job's id. */
export type JobReport = DistributiveOmit<WorkerMessage, 'id'>;

const now = (): number => performance.timeOrigin + performance.now();

/**
 * The images of the answer; the answer's text and parsed form are garbage once this returns. What
 * differs from the docs in it is reported as the client reports it of every answer: the envelope
 * and every entry (answers.ts: entries of a kind already inspected cost a look at their keys and
 * value types, about 10 ms at 100,000 images).
 */
function decode(job: Extract<CatalogJob, { kind: 'build' }>, report: (message: JobReport) => void): IsoImage[] {
  const inspected = (findings: Finding[], body: Body): void => {
    if (findings.length > 0) report({ type: 'inspected', findings, shape: shapeOf(body) });
  };
  const body = decodeRawAnswer(
    { status: job.status, body: job.body, retryAfterMs: job.retryAfterMs, contentType: job.contentType },
    { action: 'list_iso', onRefusal: (refusal) => inspected(inspectRefusal('list_iso', refusal), refusal) },
  );
  inspected(inspectAnswer('list_iso', body), body);
  return decodeIsoList('list_iso', body);
}

function build(job: Extract<CatalogJob, { kind: 'build' }>, report: (message: JobReport) => void, checkpoint: Checkpoint): void {
  const times: StepTimes = {};
  let isos: IsoImage[] | null = decode(job, report);
  times.decoded = now();
  checkpoint();
  // Compared by id with the catalog it replaces, here in the worker: one pass over its rows.
  const previous = job.previous && { path: path.join(job.directory, job.previous.file), synced_at: job.previous.synced_at };
  const changes = compareWithPrevious(isos, previous, job.nativeBinding);
  checkpoint();
  const builder = CatalogBuilder.create(job.directory, job.nativeBinding);
  try {
    builder.writeRows(isos, changes, checkpoint);
    const row_count = isos.length;
    // The indexes are built from the rows in the file: the images need not stay in memory.
    isos = null;
    if (job.shareRows) {
      // A copy of the rows, published until the catalog is complete (catalog-sync.ts); it stays
      // published whatever happens to this build, to be indexed later if this one fails.
      const rows = builder.shareRows(job.nativeBinding);
      times.rows = now();
      report({ type: 'rows', built: { file: path.basename(rows), row_count }, building: path.basename(builder.file), times: { ...times } });
    }
    builder.writeIndexes(checkpoint);
    builder.finish();
    times.indexed = now();
    report({ type: 'indexed', built: { file: path.basename(builder.file), row_count }, times });
  } catch (err) {
    builder.discard();
    throw err;
  }
}

function index(job: Extract<CatalogJob, { kind: 'index' }>, report: (message: JobReport) => void, checkpoint: Checkpoint): void {
  const builder = CatalogBuilder.resume(path.join(job.directory, job.file), job.nativeBinding);
  try {
    builder.writeIndexes(checkpoint);
    builder.finish();
  } catch (err) {
    builder.close();
    throw err;
  }
  report({ type: 'indexed', built: { file: job.file, row_count: 0 }, times: { indexed: now() } });
}

/**
 * Runs `job`, reporting its progress and, instead of throwing, its failure. Between its steps and
 * batches it asks `stopped`; once that says yes, it ends as a failure (a build's file is deleted).
 */
export function runJob(job: CatalogJob, report: (message: JobReport) => void, stopped: () => boolean = () => false): void {
  const checkpoint: Checkpoint = () => {
    if (stopped()) throw stoppedError();
  };
  try {
    if (job.kind === 'build') build(job, report, checkpoint);
    else index(job, report, checkpoint);
  } catch (err) {
    report({ type: 'failed', error: errorData(err) });
  }
}

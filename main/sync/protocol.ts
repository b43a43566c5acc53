/**
 * What the main thread and a catalog worker say to each other. The main thread posts a job with
 * an id; the worker answers, under that id: the rows are readable (when asked to share them
 * early), the catalog is indexed, or the job failed. Both sides check what they receive: it
 * crosses a thread boundary.
 */
import { AppError } from '../domain/errors.js';
import * as z from 'zod';
import { ErrorKind } from '../domain/models.js';
import { Finding } from '../domain/diagnostics.js';
import { BadAnswerError, TransientError } from '../api/envelope.js';
import type { BuiltCatalog, PublishedCatalog } from '../cache/index.js';

const Findings = z.array(Finding);

export type CatalogJob =
  | {
      /** Read list_iso's answer, build a new catalog file from it. */
      kind: 'build';
      status: number;
      body: Uint8Array;
      retryAfterMs: number | null;
      contentType: string | undefined;
      directory: string;
      nativeBinding: string | undefined;
      /** Share the rows (a `rows` message) before building the indexes: nothing is cached to show meanwhile. */
      shareRows: boolean;
      /** The catalog it replaces (a file in `directory`), compared with to record what changed; null when none. */
      previous: PublishedCatalog | null;
    }
  | {
      /** Build the indexes of a published file whose build stopped after its rows (a crash, a kill). */
      kind: 'index';
      file: string;
      directory: string;
      nativeBinding: string | undefined;
    };

/** When each step ended (performance.timeOrigin-based ms, comparable across threads): for the bench. */
export interface StepTimes {
  decoded?: number;
  rows?: number;
  indexed?: number;
}

/** An error as data; the class decides how the client's retry rules treat it. */
export interface ErrorData {
  class: 'AppError' | 'TransientError' | 'BadAnswerError';
  kind: ErrorKind;
  message: string;
  hint: string | null;
  code: string | number | null;
  retryAfterMs: number | null;
  unreadable: boolean;
}

export interface JobMessage {
  id: number;
  job: CatalogJob;
}

/**
 * Tells an idle worker, or one whose job was told to stop (its stop flag), to end once it is
 * back in its event loop. A worker that ends by itself finishes every native call first:
 * terminate() can land in the middle of one, and better-sqlite3 does not always survive that.
 */
export const END = { type: 'end' } as const;

export function isEnd(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === END.type;
}

/** What a worker is started with: its stop flag, an Int32Array's buffer the main thread sets to 1. */
export interface WorkerStart {
  stop: SharedArrayBuffer;
}

export function readWorkerStart(value: unknown): WorkerStart {
  const stop = (value as Partial<WorkerStart> | null)?.stop;
  if (!(stop instanceof SharedArrayBuffer) || stop.byteLength < Int32Array.BYTES_PER_ELEMENT) {
    throw new AppError('internal', 'A catalog worker was started without its stop flag.');
  }
  return { stop };
}

/** The error of a job stopped by its flag. */
export function stoppedError(): AppError {
  return new AppError('internal', 'The catalog sync was stopped: ISO Desk is closing.');
}

export type WorkerMessage = { id: number } &
  /** A copy of the rows, to publish meanwhile; `building`: the file the complete catalog is being built in. */
  (
    | { type: 'rows'; built: BuiltCatalog; building: string; times: StepTimes }
    | { type: 'indexed'; built: BuiltCatalog; times: StepTimes }
    /** The answer differed from the docs (main/api/answers.ts): sent before the build goes on or fails. */
    | { type: 'inspected'; findings: Finding[]; shape: string }
    | { type: 'failed'; error: ErrorData }
  );

export function errorData(err: unknown): ErrorData {
  const app =
    err instanceof AppError
      ? err
      : new AppError('internal', `ISO Desk could not store the catalog: ${err instanceof Error ? err.message : String(err)}.`, {
          hint: 'Check that the disk has room and the data folder is writable, then sync again.',
        });
  return {
    class: app instanceof TransientError ? 'TransientError' : app instanceof BadAnswerError ? 'BadAnswerError' : 'AppError',
    kind: app.kind,
    message: app.message,
    hint: app.hint,
    code: app.code,
    retryAfterMs: app instanceof TransientError ? app.retryAfterMs : null,
    unreadable: app instanceof BadAnswerError && app.unreadable,
  };
}

export function errorFromData(data: ErrorData): AppError {
  switch (data.class) {
    case 'TransientError':
      return new TransientError(data.message, data.retryAfterMs, typeof data.code === 'number' ? data.code : null);
    case 'BadAnswerError':
      return new BadAnswerError(data.message, { status: typeof data.code === 'number' ? data.code : null, unreadable: data.unreadable });
    default:
      return new AppError(data.kind, data.message, { hint: data.hint, code: data.code });
  }
}

function isBuilt(value: unknown): value is BuiltCatalog {
  const v = value as Partial<BuiltCatalog> | null;
  return typeof v === 'object' && v !== null && typeof v.file === 'string' && typeof v.row_count === 'number';
}

function isErrorData(value: unknown): value is ErrorData {
  const v = value as Partial<ErrorData> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    ['AppError', 'TransientError', 'BadAnswerError'].includes(String(v.class)) &&
    ErrorKind.safeParse(v.kind).success &&
    typeof v.message === 'string'
  );
}

/** A message from a worker, or null when it is none of ours. */
export function readMessage(value: unknown): WorkerMessage | null {
  const v = value as {
    id?: unknown;
    type?: unknown;
    built?: unknown;
    building?: unknown;
    error?: unknown;
    times?: unknown;
    findings?: unknown;
    shape?: unknown;
  } | null;
  if (typeof v !== 'object' || v === null || typeof v.id !== 'number') return null;
  const times = (typeof v.times === 'object' && v.times !== null ? v.times : {}) as StepTimes;
  if (v.type === 'rows' && isBuilt(v.built) && typeof v.building === 'string') return { id: v.id, type: 'rows', built: v.built, building: v.building, times };
  if (v.type === 'indexed' && isBuilt(v.built)) return { id: v.id, type: 'indexed', built: v.built, times };
  if (v.type === 'failed' && isErrorData(v.error)) return { id: v.id, type: 'failed', error: v.error };
  if (v.type === 'inspected' && typeof v.shape === 'string') {
    const findings = Findings.safeParse(v.findings);
    if (findings.success) return { id: v.id, type: 'inspected', findings: findings.data, shape: v.shape };
  }
  return null;
}

function isPrevious(value: unknown): value is PublishedCatalog | null {
  const v = value as Partial<PublishedCatalog> | null;
  return (
    v === null || (typeof v === 'object' && typeof v.file === 'string' && !v.file.includes('/') && !v.file.includes('\\') && typeof v.synced_at === 'number')
  );
}

/** A job posted to a worker, checked: the main thread wrote it, but it crossed into this thread. */
export function readJob(message: unknown): JobMessage {
  const id = (message as Partial<JobMessage> | null)?.id;
  const v = (message as { job?: unknown } | null)?.job as Partial<Record<keyof Extract<CatalogJob, { kind: 'build' }> | 'file', unknown>> | null;
  if (typeof id !== 'number') throw new AppError('internal', 'A catalog worker was sent a job without an id.');
  const text = (x: unknown): boolean => typeof x === 'string' && x.length > 0;
  const optionalText = (x: unknown): boolean => x === undefined || typeof x === 'string';
  if (typeof v === 'object' && v !== null && text(v.directory) && optionalText(v.nativeBinding)) {
    if (v.kind === 'build' && typeof v.status === 'number' && v.body instanceof Uint8Array && typeof v.shareRows === 'boolean' && isPrevious(v.previous)) {
      return { id, job: v as CatalogJob };
    }
    if (v.kind === 'index' && text(v.file)) return { id, job: v as CatalogJob };
  }
  throw new AppError('internal', 'A catalog worker was started without a job it can read.');
}

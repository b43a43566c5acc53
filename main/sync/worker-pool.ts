/**
 * The catalog workers of a process (worker_threads). A worker runs one job at a time. After a
 * small job it waits a few seconds for the next, unreferenced so that it never keeps the process
 * alive, which spares a burst of syncs a thread start each; after a large one it ends, and with
 * it every byte of memory the job used.
 *
 * A worker is never cut off in the middle of its work: it is asked to end (its job stops at the
 * next checkpoint, then it leaves its event loop), and only one that does not within END_GRACE_MS
 * is terminated. terminate() can land inside a native call, and a process whose worker was
 * terminated inside better-sqlite3 can die with it (seen as a test process exiting at random).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { AppError } from '../domain/errors.js';
import { END, errorFromData, readMessage, stoppedError, type CatalogJob, type WorkerMessage, type WorkerStart } from './protocol.js';

/** A job whose answer was larger than this leaves a heap worth giving back: its worker ends. */
const KEEP_AFTER_BYTES = 4 * 1024 * 1024;
const IDLE_MS = 10_000;
/** A job stops within one batch or one index statement (about a second at 100,000 images); past this, it is cut off. */
const END_GRACE_MS = 5_000;

export type Progress = Exclude<WorkerMessage, { type: 'failed' }>;

/** Where catalog jobs run: worker threads (WorkerPool) or the calling thread (InThread). */
export interface JobRunner {
  /**
   * Runs `job` (whose answer is `size` bytes) until `onProgress` returns a result. What
   * `onProgress` throws ends the job.
   */
  run<T>(job: CatalogJob, transfer: ArrayBuffer[], size: number, onProgress: (message: Progress) => T | undefined): Promise<T>;
  close(): Promise<void>;
}

/** Set by the build (main/build/build.mjs) in every bundle; absent when running from source. */
declare const ISODESK_BUNDLED: boolean | undefined;
/** Set by the build for bundles split into chunks: where the worker is from a chunk's folder. */
declare const ISODESK_WORKER_FROM_HERE: string | undefined;
/** Only when running from source: a bundle never carries esbuild, nor code that would load it. */
const esbuild = typeof ISODESK_BUNDLED === 'boolean' ? null : () => import('esbuild');

/**
 * The worker's script: in a bundle, the built one beside it (dist/main/catalog-worker.js); when
 * running from source (tests, `npm run web`), the source bundled by esbuild once per process into
 * node_modules/.cache, where its packages resolve (a worker booting through a TypeScript loader
 * would compile every module again for every worker).
 */
let fromSource: Promise<URL> | null = null;

function workerScript(): URL | Promise<URL> {
  if (!esbuild) return new URL(typeof ISODESK_WORKER_FROM_HERE === 'string' ? ISODESK_WORKER_FROM_HERE : './catalog-worker.js', import.meta.url);
  fromSource ??= bundleFromSource(esbuild);
  return fromSource;
}

async function bundleFromSource(load: NonNullable<typeof esbuild>): Promise<URL> {
  const { build } = await load();
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./catalog-worker.ts', import.meta.url))],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire as __isodeskRequire } from 'node:module'; const require = __isodeskRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  const dir = fileURLToPath(new URL('../../node_modules/.cache/isodesk', import.meta.url));
  const file = path.join(dir, `catalog-worker-${crypto.createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!fs.existsSync(file)) {
    // Written aside and renamed: other processes running from source may be reading it.
    fs.mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, file);
  }
  return pathToFileURL(file);
}

export class WorkerPool implements JobRunner {
  /** Every live worker, with its stop flag. */
  private readonly all = new Map<Worker, Int32Array>();
  private readonly ending = new Map<Worker, Promise<void>>();
  private idle: { worker: Worker; timer: NodeJS.Timeout } | null = null;
  private nextId = 1;
  private closed = false;

  async run<T>(job: CatalogJob, transfer: ArrayBuffer[], size: number, onProgress: (message: Progress) => T | undefined): Promise<T> {
    const worker = this.takeIdle() ?? (await this.start());
    if (this.closed) {
      void this.end(worker);
      throw stoppedError();
    }
    const id = this.nextId++;
    worker.ref();
    return new Promise<T>((resolve, reject) => {
      const done = (healthy: boolean): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (healthy) this.release(worker, size);
        else void this.end(worker);
      };
      const onMessage = (value: unknown): void => {
        const message = readMessage(value);
        if (message === null) {
          done(false);
          reject(new AppError('internal', 'A catalog worker sent a message ISO Desk cannot read.'));
        } else if (message.id !== id) {
          return;
        } else if (message.type === 'failed') {
          done(true);
          reject(errorFromData(message.error));
        } else {
          let result: T | undefined;
          try {
            result = onProgress(message);
          } catch (err) {
            done(false);
            reject(err);
            return;
          }
          if (result === undefined) return;
          done(true);
          resolve(result);
        }
      };
      const onError = (err: Error): void => {
        done(false);
        reject(new AppError('internal', `The catalog worker failed: ${err.message}.`, { cause: err }));
      };
      const onExit = (): void => {
        done(false);
        reject(new AppError('internal', 'The catalog worker stopped before the catalog was ready.'));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, job }, transfer);
    });
  }

  /** Ends every worker, busy or idle; a busy one's job fails with "stopped". */
  async close(): Promise<void> {
    this.closed = true;
    if (this.idle) clearTimeout(this.idle.timer);
    this.idle = null;
    await Promise.all([...this.all.keys()].map((worker) => this.end(worker)));
  }

  private async start(): Promise<Worker> {
    // Loaded with the first worker: a process that runs its jobs in its own thread (the CLI) never needs it.
    const { Worker } = await import('node:worker_threads');
    const stop = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const worker = new Worker(await workerScript(), { workerData: { stop } satisfies WorkerStart });
    this.all.set(worker, new Int32Array(stop));
    worker.once('exit', () => {
      this.all.delete(worker);
      if (this.idle?.worker === worker) {
        clearTimeout(this.idle.timer);
        this.idle = null;
      }
    });
    return worker;
  }

  private takeIdle(): Worker | null {
    if (!this.idle) return null;
    clearTimeout(this.idle.timer);
    const { worker } = this.idle;
    this.idle = null;
    return worker;
  }

  private release(worker: Worker, size: number): void {
    if (size > KEEP_AFTER_BYTES || this.idle || this.closed || this.ending.has(worker)) {
      void this.end(worker);
      return;
    }
    worker.unref();
    const timer = setTimeout(() => {
      if (this.idle?.worker === worker) this.idle = null;
      void this.end(worker);
    }, IDLE_MS);
    timer.unref();
    this.idle = { worker, timer };
  }

  /** Stops the worker's job, if any, and has it end by itself; resolves when it has. */
  private end(worker: Worker): Promise<void> {
    const stop = this.all.get(worker);
    if (!stop) return Promise.resolve();
    let ending = this.ending.get(worker);
    if (!ending) {
      Atomics.store(stop, 0, 1);
      ending = new Promise<void>((resolve) => {
        const cutOff = setTimeout(() => void worker.terminate(), END_GRACE_MS);
        worker.once('exit', () => {
          clearTimeout(cutOff);
          this.ending.delete(worker);
          resolve();
        });
      });
      this.ending.set(worker, ending);
      worker.postMessage(END);
    }
    return ending;
  }
}

/**
 * Catalog syncs off the main thread. The main thread only receives list_iso's answer (its bytes,
 * read once) and hands them to a worker thread (catalog-worker.ts), which reads them, checks every
 * image and builds the catalog's file; meanwhile the main thread keeps answering IPC calls and the
 * catalog it has stays searchable. When the file is ready the main thread publishes it in one short
 * transaction (Catalog.publish) and says so on the event bus (`catalog/changed`).
 *
 * Two steps when that shows something sooner: a server with nothing cached gets its rows as soon
 * as they are written (a copy of them, readable in name order, `indexing` until the complete
 * catalog replaces it); a server with a catalog keeps it, fully usable, until the new one is complete.
 *
 * The workers are worker-pool.ts's. A process with nothing else to do meanwhile (the CLI) runs the
 * same jobs in its own thread instead (in-thread.ts).
 */
import type { AnswerInspected } from '../api/client.js';
import type { RawAnswer } from '../api/envelope.js';
import type { BuiltCatalog, Cache } from '../cache/index.js';
import type { AppEvents } from '../events/bus.js';
import type { CatalogJob, StepTimes } from './protocol.js';
import { InThread } from './in-thread.js';
import { WorkerPool, type JobRunner } from './worker-pool.js';

export interface CatalogTarget {
  profile: string;
  serverId: number;
  syncedAt: number;
}

export interface SyncOutcome {
  count: number;
  /** When each step of the worker ended, for the benchmark. */
  times: StepTimes;
}

/** The body's memory moves to the worker when it is a buffer of its own (never a slice of a shared pool). */
function transferable(body: Uint8Array): { body: Uint8Array; transfer: ArrayBuffer[] } {
  const whole = body.buffer instanceof ArrayBuffer && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
  return whole ? { body, transfer: [body.buffer as ArrayBuffer] } : { body: body.slice(), transfer: [] };
}

export interface CatalogSyncOptions {
  /** Path of a better-sqlite3 binary built for this runtime (Electron), when not the default one. */
  nativeBinding?: string | undefined;
  /** Run the jobs in this thread, not in workers: nothing else runs here meanwhile. */
  inThread?: boolean | undefined;
}

export class CatalogSyncs {
  private readonly workers: JobRunner;
  private readonly nativeBinding: string | undefined;
  /** Catalog files whose indexes a worker of this process is building, and when they are done. */
  private readonly indexing = new Map<string, Promise<void>>();

  constructor(
    private readonly cache: Cache,
    private readonly events: AppEvents,
    opts: CatalogSyncOptions = {},
  ) {
    this.workers = opts.inThread ? new InThread() : new WorkerPool();
    this.nativeBinding = opts.nativeBinding;
  }

  /**
   * Reads list_iso's answer and makes it the server's catalog; resolves once search and sort are
   * ready. `inspected` hears what the answer held that the docs do not describe.
   */
  fromAnswer(answer: RawAnswer, target: CatalogTarget, inspected?: AnswerInspected): Promise<SyncOutcome> {
    const { body, transfer } = transferable(answer.body);
    const job: CatalogJob = {
      kind: 'build',
      status: answer.status,
      body,
      retryAfterMs: answer.retryAfterMs,
      contentType: answer.contentType,
      directory: this.cache.catalog.directory,
      nativeBinding: this.nativeBinding,
      shareRows: this.cache.catalog.syncedAt(target.profile, target.serverId) === null,
      previous: this.cache.catalog.published(target.profile, target.serverId),
    };
    let shared: { built: BuiltCatalog; done: () => void } | null = null;
    /** The replaced catalogs' files, being deleted off this thread: the sync ends when they are gone. */
    const removals: Promise<void>[] = [];
    const outcome = this.workers.run(job, transfer, body.byteLength, (message) => {
      if (message.type === 'inspected') {
        inspected?.(message.findings, message.shape);
        return undefined;
      }
      if (message.type === 'rows') {
        try {
          removals.push(this.publish(target, message.built, true));
        } catch (err) {
          // The build stops here (the worker ends): what it was writing goes too.
          this.cache.catalog.discard({ file: message.building, row_count: 0 });
          throw err;
        }
        let done = (): void => undefined;
        this.indexing.set(message.built.file, new Promise<void>((resolve) => (done = resolve)));
        shared = { built: message.built, done };
        return undefined;
      }
      // The complete catalog, replacing the copy of its rows when they were shared.
      removals.push(this.publish(target, message.built, false));
      return { count: message.built.row_count, times: message.times };
    });
    return outcome
      .finally(() => {
        if (!shared) return;
        shared.done();
        this.indexing.delete(shared.built.file);
      })
      .then(async (result) => {
        await Promise.all(removals);
        return result;
      });
  }

  /**
   * Builds the indexes of a catalog whose build stopped after its rows (the app was killed in
   * between); resolves at once when they are there or being built.
   */
  ensureIndexed(profile: string, serverId: number): Promise<void> {
    const file = this.cache.catalog.unindexedFile(profile, serverId);
    if (file === null) return Promise.resolve();
    let running = this.indexing.get(file);
    if (!running) {
      const job: CatalogJob = { kind: 'index', file, directory: this.cache.catalog.directory, nativeBinding: this.nativeBinding };
      running = this.workers
        .run(job, [], 0, () => true)
        .then(() => this.changed({ profile, serverId, syncedAt: this.cache.catalog.syncedAt(profile, serverId) ?? 0 }, null, false))
        .finally(() => this.indexing.delete(file));
      this.indexing.set(file, running);
    }
    return running;
  }

  /** Stops every worker; what they were building is left for the next open to sweep. */
  close(): Promise<void> {
    return this.workers.close();
  }

  /** Makes the built file the catalog; a file that could not be published is deleted. Resolves once the replaced file is gone. */
  private publish(target: CatalogTarget, built: BuiltCatalog, indexing: boolean): Promise<void> {
    let removed: Promise<void>;
    try {
      removed = this.cache.catalog.publish(target.profile, target.serverId, built, target.syncedAt);
    } catch (err) {
      this.cache.catalog.discard(built);
      throw err;
    }
    this.changed(target, built.row_count, indexing);
    return removed;
  }

  private changed(target: CatalogTarget, count: number | null, indexing: boolean): void {
    this.events.emit('catalog/changed', {
      profile: target.profile,
      server_id: target.serverId,
      count: count ?? this.cache.catalog.count(target.profile, target.serverId),
      synced_at: target.syncedAt,
      indexing,
    });
  }
}

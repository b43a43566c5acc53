/**
 * The composition root: opens the cache, builds the API transport, the task tracker and the
 * services, and hands out the one dispatch function that Electron IPC, the browser harness and
 * the CLI use.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SecretStore } from './session/secrets.js';
import { createDispatch, type Dispatch } from './ipc/dispatch.js';
import type { Services } from './services/types.js';
import type { AppEvents } from './events/bus.js';
import { openCache } from './cache/index.js';
import { Transport } from './api/transport.js';
import { systemClock, type Clock } from './api/clock.js';
import { createEvents } from './events/bus.js';
import { NetMonitor } from './services/net.js';
import { SessionService } from './services/session.js';
import { TaskTracker } from './tasks/tracker.js';
import type { PollBounds } from './tasks/schedule.js';
import { createServices } from './services/index.js';
import { CatalogSyncs } from './sync/catalog-sync.js';
import { USER_AGENT, VERSION } from './version.js';

export interface AppOptions {
  /** Folder for the cache database (isodesk.db) and, for file secret stores, secrets. */
  dataDir: string;
  secrets: SecretStore;
  /** Overrides every profile's base URL (CLI --api-url, ISODESK_API_URL, demos). */
  apiUrl?: string | undefined;
  /** Act as this profile without changing the saved active one (CLI --profile). */
  profile?: string | undefined;
  /** Answer from the cache only; every network use fails with an 'offline' error. */
  offline?: boolean | undefined;
  /** Path of a better-sqlite3 binary built for this runtime (Electron), when not the default one. */
  nativeBinding?: string | undefined;
  /** Read and store catalogs in this thread, not in a worker: nothing else runs here meanwhile (the CLI). */
  syncCatalogsInThread?: boolean | undefined;
  /** Start following tracked tasks right away (desktop, harness). */
  trackTasks?: boolean | undefined;
  /** Poller timing, for tests and demos. */
  taskPoll?: PollBounds | undefined;
  uploadPoll?: PollBounds | undefined;
  userAgent?: string | undefined;
  clock?: Clock | undefined;
  /** Debug log sink (redacted); the CLI's --verbose. */
  log?: ((line: string) => void) | undefined;
}

export interface App {
  services: Services;
  dispatch: Dispatch;
  events: AppEvents;
  tracker: TaskTracker;
  /** Starts the task tracker if it is not running (idempotent). */
  trackTasks(): void;
  close(): Promise<void>;
}

export const CACHE_FILE = 'isodesk.db';

export async function createApp(opts: AppOptions): Promise<App> {
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const clock = opts.clock ?? systemClock;
  const cache = openCache(path.join(opts.dataDir, CACHE_FILE), { nativeBinding: opts.nativeBinding });
  const events = createEvents();
  const net = new NetMonitor(events, clock);
  if (opts.offline) net.forceOffline('Offline mode: answering from the cache.');
  const userAgent = opts.userAgent ?? USER_AGENT;
  const transport = new Transport({ userAgent, clock, log: opts.log, onReachability: (ok, problem) => net.report(ok, problem) });
  const session = new SessionService({
    cache,
    secrets: opts.secrets,
    transport,
    clock,
    net,
    apiUrl: opts.apiUrl,
    offline: opts.offline,
    profile: opts.profile,
  });
  const tracker = new TaskTracker({
    cache,
    events,
    clock,
    clientFor: (profile) => session.clientFor(profile),
    taskPoll: opts.taskPoll,
    uploadPoll: opts.uploadPoll,
  });
  const catalogSyncs = new CatalogSyncs(cache, events, { nativeBinding: opts.nativeBinding, inThread: opts.syncCatalogsInThread });
  const services = createServices({ cache, secrets: opts.secrets, session, tracker, catalogSyncs, net, transport, clock, userAgent, version: VERSION });
  if (opts.trackTasks && !opts.offline) tracker.start();
  return {
    services,
    dispatch: createDispatch(services),
    events,
    tracker,
    trackTasks: () => {
      if (!opts.offline) tracker.start();
    },
    close: async () => {
      await tracker.stop();
      await catalogSyncs.close();
      cache.close();
    },
  };
}

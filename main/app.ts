/**
 * The composition root: opens the cache, builds the API transport, the task tracker and the
 * services, and hands out the one dispatch function that Electron IPC, the browser harness and
 * the CLI use.
 */
import path from 'node:path';
import type { SecretStore } from './session/secrets.js';
import { prepareDataDir } from './session/data-dir.js';
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
import { Journal } from './tasks/journal.js';
import { newOwner } from './tasks/claims.js';
import type { PollBounds } from './tasks/schedule.js';
import { createServices } from './services/index.js';
import type { SaveFile } from './services/activity.js';
import { CatalogSyncs } from './sync/catalog-sync.js';
import { USER_AGENT, VERSION } from './version.js';
import { JobRunner } from './tasks/jobs.js';
import { PinKeeper } from './session/pin.js';
import { ConsoleService } from './services/console.js';
import { systemDesktop, type DesktopActions } from './services/desktop.js';
import type { KnownHost } from './domain/diagnostics.js';
import type { SettleTiming } from './services/power.js';

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
  /** Follow tracked tasks and resume recent jobs (desktop, harness). */
  trackTasks?: boolean | undefined;
  /** A window's process: that following waits for the window's first catalog rows (see FIRST_ROWS_HOLD_MS). */
  holdForFirstRows?: boolean | undefined;
  /** Poller timing, for tests and demos. */
  taskPoll?: PollBounds | undefined;
  uploadPoll?: PollBounds | undefined;
  /** Sets the polling budget every process on the data folder shares (tests, demos). */
  pollBudget?: { rate: number; burst: number } | undefined;
  /** How often a tracking process looks for other processes' journal writes (ms). */
  watchMs?: number | undefined;
  userAgent?: string | undefined;
  /** An extra certificate authority (PEM) to trust when checking an upload's file host (tests; NODE_EXTRA_CA_CERTS works too). */
  fileHostCa?: string | undefined;
  /** Saves an exported file where the user chooses (the desktop shell's save dialog). */
  saveFile?: SaveFile | undefined;
  clock?: Clock | undefined;
  /** Debug log sink (redacted); the CLI's --verbose. */
  log?: ((line: string) => void) | undefined;
  /** How "Console" opens a browser or copies a link (the Electron shell's own; else the OS opener). */
  desktop?: DesktopActions | undefined;
  /** The known HOSTKEY hosts (main/api/hosts.ts); tests point them at local servers. */
  knownHosts?: readonly KnownHost[] | undefined;
  /** How the power state is followed after a power action (tests shorten it). */
  settleTiming?: SettleTiming | undefined;
}

export interface App {
  services: Services;
  dispatch: Dispatch;
  events: AppEvents;
  journal: Journal;
  tracker: TaskTracker;
  /** Boot and power jobs (issue #9). */
  jobs: JobRunner;
  /** The noVNC console; the CLI's --show-url asks it for the address itself. */
  console: ConsoleService;
  /** What the user should know about how the data folder was opened (see Cache.notices). */
  notices: readonly string[];
  /** Starts the task tracker if it is not running (idempotent). */
  trackTasks(): void;
  /**
   * Stops the work in the background, then (`settle`) lets calls still running end, then closes
   * the cache, so none of them writes to a closed cache.
   */
  close(settle?: () => Promise<unknown>): Promise<void>;
}

export const CACHE_FILE = 'isodesk.db';

/**
 * How long a window's process holds back following tasks and resuming jobs while the window asks
 * for its first catalog rows: polling HOSTKEY (loading the HTTP client, a durable journal write)
 * would delay the cached rows, which are what the user waits for. The hold ends as soon as the
 * first page is answered, and after this long when none is asked for (signed out, no server).
 */
export const FIRST_ROWS_HOLD_MS = 2_000;

export async function createApp(opts: AppOptions): Promise<App> {
  prepareDataDir(opts.dataDir);
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
    hosts: opts.knownHosts,
    // The unexpected-answer log: a diagnostic, so a full or read-only data folder never fails a call.
    observe: (report) => {
      try {
        cache.answers.record({ action: report.action, host: report.host, findings: report.findings, shape: report.shape(), at: clock.now(), version: VERSION });
      } catch {
        // Not kept: the answer itself was read and used as usual.
      }
    },
  });
  if (opts.pollBudget) cache.tasks.setBudget(opts.pollBudget.rate, opts.pollBudget.burst);
  const journal = new Journal(cache, events, clock, newOwner());
  const tracker = new TaskTracker({
    cache,
    journal,
    clock,
    watchMs: opts.watchMs,
    clientFor: (profile) => session.clientFor(profile),
    taskPoll: opts.taskPoll,
    uploadPoll: opts.uploadPoll,
  });
  const pins = new PinKeeper();
  const jobs = new JobRunner({ cache, journal, tracker, events, clock, clientFor: (profile) => session.clientFor(profile), pins });
  const consoleService = new ConsoleService(session, pins, opts.desktop ?? systemDesktop(), clock);
  const catalogSyncs = new CatalogSyncs(cache, events, { nativeBinding: opts.nativeBinding, inThread: opts.syncCatalogsInThread });
  const closing = new AbortController();
  const services = createServices({
    cache,
    secrets: opts.secrets,
    session,
    journal,
    tracker,
    catalogSyncs,
    net,
    transport,
    clock,
    userAgent,
    version: VERSION,
    fileHostCa: opts.fileHostCa,
    runner: jobs,
    pins,
    console: consoleService,
    dataDir: opts.dataDir,
    saveFile: opts.saveFile,
    events,
    // The desktop app (and harness) follows every power job to its end; a CLI its own, with --wait.
    followPower: opts.trackTasks === true && !opts.offline,
    settleTiming: opts.settleTiming,
    stopping: closing.signal,
  });
  const track = opts.trackTasks === true && !opts.offline;
  // The desktop app (and harness) resumes recent jobs whose process stopped; a CLI only its own.
  const startBackground = (): void => {
    if (!track) return;
    tracker.start();
    jobs.start({ autoResume: true });
  };
  if (!opts.offline) jobs.start();
  const dispatch = createDispatch(services);
  let held: ReturnType<typeof setTimeout> | null = null;
  const release = (): void => {
    if (held === null) return;
    clearTimeout(held);
    held = null;
    startBackground();
  };
  if (track && opts.holdForFirstRows) {
    held = setTimeout(release, FIRST_ROWS_HOLD_MS);
    held.unref();
  } else startBackground();
  return {
    services,
    dispatch:
      held === null
        ? dispatch
        : async (channel, payload) => {
            const answer = await dispatch(channel, payload);
            if (channel === 'catalog/query') release();
            return answer;
          },
    events,
    journal,
    tracker,
    jobs,
    console: consoleService,
    notices: cache.notices,
    trackTasks: () => {
      if (!opts.offline) tracker.start();
    },
    close: async (settle) => {
      if (held !== null) clearTimeout(held);
      held = null;
      closing.abort();
      await jobs.stop();
      await tracker.stop();
      await settle?.();
      await catalogSyncs.close();
      cache.close();
    },
  };
}

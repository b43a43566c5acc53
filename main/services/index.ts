/** Wires the use cases into the Services map, one function per IPC contract channel. */
import type { Cache } from '../cache/index.js';
import type { SecretStore } from '../session/secrets.js';
import type { Transport } from '../api/transport.js';
import type { Clock } from '../api/clock.js';
import type { TaskTracker } from '../tasks/tracker.js';
import type { Journal } from '../tasks/journal.js';
import type { CatalogSyncs } from '../sync/catalog-sync.js';
import type { NetMonitor } from './net.js';
import type { Services } from './types.js';
import { type SessionService } from './session.js';
import { CatalogService } from './catalog.js';
import { UploadService } from './uploads.js';
import { MountService } from './mounts.js';
import { AdminService } from './admin.js';
import { createBootServices } from './boot-channels.js';
import { BootService } from './boot.js';
import { PowerService, type SettleTiming } from './power.js';
import type { AppEvents } from '../events/bus.js';
import type { ConsoleService } from './console.js';
import type { JobRunner } from '../tasks/jobs.js';
import type { PinKeeper } from '../session/pin.js';
import { PreferencesService } from './preferences.js';
import { ReminderService } from './reminders.js';
import { ActivityService, type SaveFile } from './activity.js';
import { AppError } from '../domain/errors.js';
import { DoctorService } from './doctor.js';

export interface ServiceDeps {
  cache: Cache;
  secrets: SecretStore;
  session: SessionService;
  journal: Journal;
  tracker: TaskTracker;
  catalogSyncs: CatalogSyncs;
  net: NetMonitor;
  transport: Transport;
  clock: Clock;
  userAgent: string;
  version: string;
  /** An extra certificate authority (PEM) trusted for the file hosts checked before an upload. */
  fileHostCa?: string | undefined;
  /** Jobs, the account PIN and the console (issue #9). */
  runner: JobRunner;
  pins: PinKeeper;
  console: ConsoleService;
  /** The data folder (preferences.json lives there). */
  dataDir: string;
  /** Where exported files are saved (the desktop shell's save dialog); without it they are handed to the front end. */
  saveFile?: SaveFile | undefined;
  events: AppEvents;
  /** Follow the power state after every power job that ends (the desktop app; a CLI follows its own with --wait). */
  followPower?: boolean | undefined;
  settleTiming?: SettleTiming | undefined;
  /** Aborted when the app closes: following stops. */
  stopping?: AbortSignal | undefined;
}

export function createServices(deps: ServiceDeps): Services {
  const { cache, session, journal, tracker, net, clock } = deps;
  const catalog = new CatalogService(cache, session, deps.catalogSyncs, clock);
  const uploads = new UploadService(cache, session, journal, tracker, clock, { userAgent: deps.userAgent, ca: deps.fileHostCa });
  const mounts = new MountService(session, journal, tracker);
  const admin = new AdminService(session, catalog);
  const boot = new BootService(cache, session, deps.runner);
  const power = new PowerService(cache, session, deps.runner, boot, deps.pins, clock, deps.settleTiming, deps.stopping, (status) =>
    deps.events.emit('power/changed', status),
  );
  if (deps.followPower) followPowerJobs(deps.events, session, power);
  const doctor = new DoctorService({ session, cache, secrets: deps.secrets, clock, version: deps.version, userAgent: deps.userAgent });
  const prefs = new PreferencesService(deps.dataDir);
  const reminders = new ReminderService(cache, session, power, prefs, clock);
  const activity = new ActivityService(cache, session, catalog, uploads, clock, deps.saveFile);

  return {
    'session/status': async () => {
      await deps.secrets.check?.();
      return {
        profiles: await session.list(),
        active: session.activeName(),
        secrets: { mode: deps.secrets.mode, note: deps.secrets.note },
        notices: [...cache.notices],
        net: net.current,
        version: deps.version,
        api_url: session.pinnedApiUrl,
        hosts: [...session.hosts],
      };
    },
    'session/signIn': (req) => session.signIn(req),
    'session/signOut': async (req) => {
      await session.signOut(req.profile);
      return null;
    },
    'session/switch': async (req) => session.switchTo(req.profile),
    'session/removeProfile': async (req) => {
      await session.remove(req.profile);
      return null;
    },
    'net/check': async () => {
      if (session.offline) return net.current;
      try {
        await session.refreshRole();
      } catch (err) {
        // Reachability is what this answers; NetMonitor has already recorded it.
        if (!(err instanceof AppError)) throw err;
      }
      return net.current;
    },
    'servers/list': (req) => catalog.servers(req),
    'catalog/sync': (req) => catalog.sync(req),
    'catalog/query': async (req) => catalog.query(req),
    'catalog/changes': async (req) => catalog.changes(req),
    'iso/history': (req) => catalog.history(req),
    'iso/mount': (req) => mounts.mount(req),
    'iso/unmount': (req) => mounts.unmount(req),
    'iso/add': (req) => admin.add(req),
    'iso/update': (req) => admin.update(req),
    'iso/del': (req) => admin.del(req),
    'iso/delete': (req) => admin.delete(req),
    'uploads/list': (req) => uploads.list(req),
    'uploads/probe': (req) => uploads.probe(req),
    'uploads/start': (req) => uploads.start(req),
    'uploads/checksum': async (req) => uploads.keptChecksum(req),
    'uploads/usage': (req) => activity.usage(req),
    'uploads/deleteMany': (req) => admin.delMany(req),
    'activity/list': (req) => activity.list(req),
    'activity/export': (req) => activity.export(req),
    'tasks/list': async () => journal.list(),
    // Ended jobs go with the finished tasks: the task centre has one "Clear finished".
    'tasks/clear': async () => ({ cleared: deps.runner.clearEnded() + journal.clearFinished() }),
    ...createBootServices({ session, runner: deps.runner, pins: deps.pins, boot, power, console: deps.console }),
    'doctor/run': () => doctor.run(),
    'doctor/bugReport': (req) => doctor.bugReport(req.report),
    'prefs/get': async () => prefs.get(),
    'prefs/set': async (req) => prefs.set(req),
    'reminders/due': async (req) => reminders.due(req.at),
  };
}

/** Each power job that ends well (a power action, or a boot job's reboot) has its state followed to its end. */
function followPowerJobs(events: AppEvents, session: SessionService, power: PowerService): void {
  events.on('jobs/changed', ({ type, job }) => {
    const expected = type === 'ended' ? PowerService.expectedAfter(job) : null;
    if (!expected || session.activeName() !== job.profile) return;
    // Failures are the record's business (it says "not confirmed"); nothing to report here.
    Promise.resolve()
      .then(() => power.settle(job.server_id, expected))
      .catch(() => undefined);
  });
}

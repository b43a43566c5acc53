/** The IPC channels of issue #9 (jobs, power, console, PIN), wired to their services. */
import type { Services } from './types.js';
import type { JobRunner } from '../tasks/jobs.js';
import type { PinKeeper } from '../session/pin.js';
import type { BootService } from './boot.js';
import type { ConsoleService } from './console.js';
import type { PowerService } from './power.js';
import type { SessionService } from './session.js';

type BootChannel = Extract<keyof Services, `jobs/${string}` | `power/${string}` | `console/${string}` | `pin/${string}`>;

export interface BootChannelDeps {
  session: SessionService;
  runner: JobRunner;
  pins: PinKeeper;
  boot: BootService;
  power: PowerService;
  console: ConsoleService;
}

export function createBootServices(deps: BootChannelDeps): Pick<Services, BootChannel> {
  const { session, runner, pins, boot, power } = deps;
  return {
    'jobs/list': async () => runner.list(),
    'jobs/plan': async (req) => boot.plan(req.kind, req.server_id, req.iso_name),
    'jobs/bootIso': (req) => boot.bootIso(req.server_id, req.iso_name, req.confirmed),
    'jobs/backToDisk': (req) => boot.backToDisk(req.server_id, req.confirmed),
    'jobs/power': (req) => boot.power(req.server_id, req.action),
    'jobs/retry': async (req) => runner.retry(req.key),
    'jobs/skip': async (req) => runner.skip(req.key),
    'jobs/cancel': async (req) => runner.cancel(req.key),
    'jobs/resume': async (req) => runner.resume(req.key),
    'jobs/clear': async () => ({ cleared: runner.clearEnded() }),
    'power/status': (req) => power.status(req.server_id, req.refresh),
    'power/list': async () => power.list(),
    'power/settle': (req) => power.settle(req.server_id, req.expected),
    'console/open': (req) => deps.console.open(req.server_id, req.copy),
    'console/stop': (req) => deps.console.stop(req.server_id),
    'pin/answer': async (req) => {
      const profile = session.active().name;
      pins.set(profile, req.pin);
      return { resumed: runner.pinGiven(profile) };
    },
    'pin/forget': async () => {
      pins.forget(session.active().name);
      return null;
    },
    'pin/status': async () => pins.status(session.active().name),
  };
}

/**
 * After a power action the server's power is followed to its end (issue #9 review): no panel left
 * on "rebooting". The desktop app (here the harness) asks HOSTKEY for the status again, with
 * backoff and through the shared poll budget, until it says the state the action leads to — or,
 * past the time limit, the record says it could not be confirmed. `power/settle` is the same rule
 * the CLI's `power … --wait` uses. Real services, journal and local HOSTKEY API over HTTP.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import type { PowerStatus } from '../../main/domain/jobs.js';
import type { LocalApi } from '../../main/local-api/server.js';
import type { Core } from '../services/harness.js';
import { jobRunner } from './support/job-runner.js';

const TIMING = { firstMs: 200, maxMs: 600, limitMs: 4_000 };

function setup(rebootMs: number, opts: { trackTasks?: boolean } = {}): Promise<{ api: LocalApi; core: Core }> {
  return jobRunner({ rebootMs, core: { settleTiming: TIMING, ...opts } });
}

/** The next 'power/changed' for the server that matches `pred`. */
function powerWhen(core: Core, serverId: number, pred: (s: PowerStatus) => boolean, timeoutMs = 30_000): Promise<PowerStatus> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('timed out waiting for power/changed'));
    }, timeoutMs);
    const off = core.app.events.on('power/changed', (status) => {
      if (status.server_id !== serverId || !pred(status)) return;
      clearTimeout(timer);
      off();
      resolve(status);
    });
  });
}

describe('following the power after an action', { timeout: 120_000 }, () => {
  it('reads the status again after a reboot until HOSTKEY says the server is on', async () => {
    const { api, core } = await setup(1_500);
    const following = powerWhen(core, 40211, (s) => s.following === 'on');
    const settled = powerWhen(core, 40211, (s) => s.following === null);
    await core.call('jobs/power', { server_id: 40211, action: 'reboot' });
    expect((await following).following).toBe('on');
    const end = await settled;
    expect(end).toMatchObject({ power: 'on', text: 'Chassis Power is on', following: null });
    expect(await core.call('power/status', { server_id: 40211 })).toMatchObject({ power: 'on' });
    // Backoff: a handful of readings over the reboot, not one per poll tick.
    const reads = api.requestCount('eq', 'status');
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(8);
  });

  it('says the state could not be confirmed when HOSTKEY never says it within the limit', async () => {
    const { api, core } = await setup(600_000);
    const settled = powerWhen(core, 40212, (s) => s.following === null);
    // Each reading on the way is told too (the panel and the CLI's --wait print it).
    const reading = powerWhen(core, 40212, (s) => s.following === 'on' && s.text === 'Chassis Power is on, the server is rebooting');
    const started = Date.now();
    await core.call('jobs/power', { server_id: 40212, action: 'reboot' });
    expect(await reading).toMatchObject({ power: 'rebooting', read_at: expect.any(Number) });
    const end = await settled;
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMING.limitMs);
    expect(end.power).toBe('unknown');
    expect(end.text).toMatch(
      /^Not confirmed: HOSTKEY did not say the server is on within 4 s\. HOSTKEY last said: Chassis Power is on, the server is rebooting\.$/,
    );
    expect(api.requestCount('eq', 'status')).toBeLessThanOrEqual(TIMING.limitMs / TIMING.firstMs);
  });

  it('says why when every reading failed: HOSTKEY lost right after the power on', async () => {
    const { api, core } = await setup(300);
    const settled = powerWhen(core, 40213, (s) => s.following === null);
    const off = core.app.events.on('jobs/changed', ({ type, job }) => {
      if (type === 'ended' && job.kind === 'power_on') void api.close();
    });
    onTestFinished(off);
    await core.call('jobs/power', { server_id: 40213, action: 'on' });
    const end = await settled;
    expect(end.power).toBe('unknown');
    expect(end.text).toMatch(
      /^Not confirmed: HOSTKEY did not say the server is on within 4 s\. The last reading failed: HOSTKEY could not read the power state: Could not reach 127\.0\.0\.1:\d+: the connection was refused\.$/,
    );
  });

  it('is the same rule on request (the CLI\u2019s --wait): confirmed once HOSTKEY says off', async () => {
    // No desktop following here: only the request follows.
    const { api, core } = await setup(300, { trackTasks: false });
    core.app.trackTasks();
    const job = await core.call('jobs/power', { server_id: 40214, action: 'off' });
    await core.app.jobs.waitFor(job.key);
    const { status, confirmed } = await core.call('power/settle', { server_id: 40214, expected: 'off' });
    expect(confirmed).toBe(true);
    expect(status).toMatchObject({ power: 'off', text: 'Chassis Power is off', following: null });
    expect(api.requestCount('eq', 'status')).toBe(1);
  });
});

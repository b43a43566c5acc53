/**
 * A power reading on request (`power/status` with refresh, the app's "Refresh" and `isodesk power
 * status`) ends when its request ends: HOSTKEY lost after it accepted the status request, or the
 * app closing while it waits, answers at once with a plain error — not after the reading's own
 * time limit with an unknown state. Real services, journal and local HOSTKEY API over HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../main/local-api/server.js';
import { localApi, rejection, startCore, type Core } from '../services/harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ api: LocalApi; core: Core }> {
  const api = await localApi({});
  const core = await startCore({ apiUrl: api.url });
  await core.call('session/signIn', { profile: 'client', base_url: api.url, api_key: api.keys.client });
  await core.call('servers/list', { refresh: true });
  return { api, core };
}

describe('a power reading on request', { timeout: 120_000 }, () => {
  it('ends with "could not reach" once HOSTKEY is lost after accepting the status request', async () => {
    const { api, core } = await setup();
    cleanups.push(() => core.app.close());
    let closing: Promise<void> | null = null;
    // HOSTKEY goes away the moment it has accepted the request: every check of the task fails.
    const off = core.app.events.on('tasks/changed', ({ task }) => {
      if (task.kind === 'power_status' && task.task_key !== null && closing === null) closing = api.close();
    });
    cleanups.push(async () => off());
    const err = await rejection(core.call('power/status', { server_id: 40211, refresh: true }));
    expect(closing).not.toBeNull();
    expect(err.kind).toBe('task_failed');
    expect(err.message).toMatch(/^HOSTKEY could not read the power state: Could not reach 127\.0\.0\.1:\d+: the connection was refused\.$/);
    expect(err.hint).toMatch(/Try again/);
    // It ended because the request ended: the reading's task failed with that message, and its job is over.
    const [job] = core.app.jobs.list('client').filter((j) => j.kind === 'power_status');
    expect(job).toMatchObject({ state: 'cancelled' });
    expect(job!.steps[0]).toMatchObject({
      state: 'failed',
      message: expect.stringMatching(/^Could not reach 127\.0\.0\.1:\d+: the connection was refused\.$/),
    });
    const task = core.app.journal.list().find((t) => t.kind === 'power_status');
    expect(task).toMatchObject({ state: 'failed', finished_at: expect.any(Number) });
    // Nothing about the server's power was made up meanwhile.
    expect((await core.call('power/status', { server_id: 40211, refresh: false })).power).toBe('unknown');
  });

  it('ends at once when the profile is signed out while it waits for HOSTKEY', async () => {
    const { api, core } = await setup();
    cleanups.push(() => core.app.close());
    cleanups.push(() => api.close());
    let signingOut: Promise<unknown> | null = null;
    // Signed out the moment HOSTKEY has accepted the status request.
    const off = core.app.events.on('tasks/changed', ({ task }) => {
      if (task.kind === 'power_status' && task.task_key !== null && signingOut === null) signingOut = core.call('session/signOut', {});
    });
    cleanups.push(async () => off());
    const err = await rejection(core.call('power/status', { server_id: 40211, refresh: true }));
    expect(signingOut).not.toBeNull();
    expect(err.kind).toBe('auth');
    expect(err.message).toBe('The profile was signed out before HOSTKEY answered with the power state.');
    expect(err.hint).toBe('Sign in again, then read it again.');
    const task = core.app.journal.list().find((t) => t.kind === 'power_status');
    expect(task).toMatchObject({ state: 'failed', message: 'The profile was signed out before HOSTKEY answered.' });
  });

  it('ends with a plain error when the app closes while it waits for HOSTKEY', async () => {
    const { api, core } = await setup();
    cleanups.push(() => api.close());
    // A slow BMC: the status request is still with HOSTKEY when the app closes.
    api.faults.holdAction('status', 3_000);
    const created = new Promise<void>((resolve) => {
      const off = core.app.events.on('jobs/changed', ({ job }) => {
        if (job.kind !== 'power_status') return;
        off();
        resolve();
      });
    });
    const reading = rejection(core.call('power/status', { server_id: 40211, refresh: true }));
    await created;
    const closed = core.app.close();
    const err = await reading;
    expect(err.message).toBe('ISO Desk stopped before HOSTKEY answered with the power state.');
    expect(err.hint).toMatch(/read it again/);
    await closed;
  });
});

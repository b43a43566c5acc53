/**
 * What a Boot from ISO / Back to disk confirmation lists is what the job runs (issue #9 review):
 * both come from one plan of the server as ISO Desk knows it — a server last read as off is powered
 * on rather than rebooted (or left off on the way back to disk), a boot device the server refused
 * and whose step was skipped is not asked for again — and a job whose plan changed after the user
 * confirmed it is refused before anything is sent. Real services, journal and local HOSTKEY API.
 */
import { describe, expect, it } from 'vitest';
import type { Job, JobPlan } from '../../main/domain/jobs.js';
import { DEMO_PIN } from '../../main/local-api/server.js';
import { rejection } from '../services/harness.js';
import { ended, jobRunner, jobWhen } from './support/job-runner.js';

const UBUNTU = 'ubuntu-24.04.1-live-server-amd64.iso';
const labels = (plan: JobPlan) => plan.steps.map((s) => s.label);
const actions = (job: Job) => job.steps.map((s) => [s.action, s.media]);

describe('the plan a confirmation lists', { timeout: 120_000 }, () => {
  it('is the usual three steps for a running server, and the job runs exactly them', async () => {
    const { core } = await jobRunner();
    const plan = await core.call('jobs/plan', { server_id: 40211, kind: 'boot_iso', iso_name: UBUNTU });
    expect(labels(plan)).toEqual([`Mount ${UBUNTU}`, 'Set the boot device to CD (the ISO)', 'Reboot']);
    expect(plan.notes).toEqual([]);
    const job = await core.call('jobs/bootIso', { server_id: 40211, iso_name: UBUNTU, confirmed: labels(plan) });
    expect(job.steps.map((s) => [s.action, s.media, s.iso_name])).toEqual(plan.steps.map((s) => [s.action, s.media, s.iso_name]));
  });

  it('powers on a server that is off instead of rebooting it, and leaves it off on the way back to disk', async () => {
    const { api, core } = await jobRunner();
    const off = await core.call('jobs/power', { server_id: 40212, action: 'off' });
    expect((await jobWhen(core, off.key, ended)).state).toBe('succeeded');

    const boot = await core.call('jobs/plan', { server_id: 40212, kind: 'boot_iso', iso_name: UBUNTU });
    expect(boot.steps.map((s) => s.action)).toEqual(['mount_iso', 'boot_dev', 'on']);
    expect(boot.notes).toEqual([expect.stringMatching(/off when last read, so it is powered on rather than rebooted/)]);
    const back = await core.call('jobs/plan', { server_id: 40212, kind: 'back_to_disk' });
    expect(back.steps.map((s) => s.action)).toEqual(['unmount_iso', 'boot_dev']);

    const job = await core.call('jobs/bootIso', { server_id: 40212, iso_name: UBUNTU, confirmed: labels(boot) });
    const done = await jobWhen(core, job.key, ended);
    expect(done.state).toBe('succeeded');
    expect(actions(done)).toEqual([
      ['mount_iso', null],
      ['boot_dev', 'cd'],
      ['on', null],
    ]);
    expect(api.requestCount('eq', 'reboot')).toBe(0);
    expect(api.requestCount('eq', 'on')).toBe(1);
  });

  it('leaves out a boot device the server refused and whose step was skipped, and says why', async () => {
    const { core } = await jobRunner({ key: 'pin' });
    await core.call('pin/answer', { pin: DEMO_PIN });
    const first = await core.call('jobs/bootIso', { server_id: 60302, iso_name: UBUNTU });
    expect((await jobWhen(core, first.key, ended)).steps[1]).toMatchObject({ action: 'boot_dev', state: 'failed' });
    await core.call('jobs/skip', { key: first.key });
    expect((await jobWhen(core, first.key, ended)).state).toBe('succeeded');

    const plan = await core.call('jobs/plan', { server_id: 60302, kind: 'boot_iso', iso_name: UBUNTU });
    expect(labels(plan)).toEqual([`Mount ${UBUNTU}`, 'Reboot']);
    expect(plan.notes).toEqual([expect.stringMatching(/^Set the boot device to CD \(the ISO\) is left out: this server refused it before/)]);
    // Disk was never refused: Back to disk still asks for it.
    expect((await core.call('jobs/plan', { server_id: 60302, kind: 'back_to_disk' })).steps.map((s) => s.action)).toContain('boot_dev');
    const second = await core.call('jobs/bootIso', { server_id: 60302, iso_name: UBUNTU, confirmed: labels(plan) });
    const done = await jobWhen(core, second.key, ended);
    expect(done.state).toBe('succeeded');
    expect(actions(done)).toEqual([
      ['mount_iso', null],
      ['reboot', null],
    ]);
  });

  it('refuses a job whose plan changed since it was confirmed, sending nothing', async () => {
    const { api, core } = await jobRunner();
    const plan = await core.call('jobs/plan', { server_id: 40213, kind: 'back_to_disk' });
    expect(labels(plan)).toEqual(['Unmount the ISO', 'Set the boot device to disk', 'Reboot']);
    const off = await core.call('jobs/power', { server_id: 40213, action: 'off' });
    expect((await jobWhen(core, off.key, ended)).state).toBe('succeeded');
    const before = api.requestCount('iso', 'unmount_iso');
    const err = await rejection(core.call('jobs/backToDisk', { server_id: 40213, confirmed: labels(plan) }));
    expect(err.message).toMatch(/has changed since you confirmed it: now Unmount the ISO, then Set the boot device to disk\./);
    expect(api.requestCount('iso', 'unmount_iso')).toBe(before);
    expect((await core.call('jobs/list', {})).filter((j) => j.kind === 'back_to_disk')).toEqual([]);
  });
});

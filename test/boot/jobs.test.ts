/**
 * Boot and power jobs through the real services, the real journal (SQLite file) and real HTTP to
 * the local HOSTKEY API: the steps go out in order, each written before it is sent; a refusal
 * stops the job with HOSTKEY's message; retry, skip and cancel do what they say; the PIN is asked
 * for, kept in memory only, and three wrong tries are reported plainly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PIN } from '../../main/local-api/server.js';
import { rejection } from '../services/harness.js';
import { ended, jobRunner, jobWhen } from './support/job-runner.js';

const UBUNTU = 'ubuntu-24.04.1-live-server-amd64.iso';

describe('Boot from ISO and back to disk', { timeout: 120_000 }, () => {
  it('mounts, sets the boot device to CD and reboots, each step sent only after the previous one ended', async () => {
    const { api, core } = await jobRunner();
    const started = await core.call('jobs/bootIso', { server_id: 40211, iso_name: UBUNTU });
    expect(started).toMatchObject({ kind: 'boot_iso', server_id: 40211, hostname: 'web-ams-01.client.example', main_ip: '185.70.104.21' });
    expect(started.steps.map((s) => [s.action, s.media, s.iso_name])).toEqual([
      ['mount_iso', null, UBUNTU],
      ['boot_dev', 'cd', null],
      ['reboot', null, null],
    ]);
    const job = await jobWhen(core, started.key, ended);
    expect(job.state).toBe('succeeded');
    expect(job.steps.map((s) => s.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(job.steps[2]!.message).toMatch(/booting from the ISO ubuntu/);
    // HOSTKEY saw the three actions in order, each key issued after the previous one had its outcome.
    const issued = api.taskReport().filter((r) => r.server_id === 40211);
    expect(issued.map((r) => r.action)).toEqual(['mount_iso', 'boot_dev', 'reboot']);
    expect(issued.every((r) => r.outcome === 'ok')).toBe(true);
    // Each step is a task of the journal, tagged with its job and position.
    const tasks = (await core.call('tasks/list', {})).filter((t) => t.job_key === job.key);
    expect(tasks.map((t) => [t.kind, t.job_step, t.state]).sort()).toEqual([
      ['boot_dev', 1, 'succeeded'],
      ['mount', 0, 'succeeded'],
      ['reboot', 2, 'succeeded'],
    ]);
    const power = await core.call('power/status', { server_id: 40211 });
    expect(power).toMatchObject({ boot_media: 'cd', mounted_iso: UBUNTU, power: 'rebooting' });
    expect(power.mounted_at).toBeGreaterThan(0);

    const back = await core.call('jobs/backToDisk', { server_id: 40211 });
    const done = await jobWhen(core, back.key, ended);
    expect(done.state).toBe('succeeded');
    expect(await core.call('power/status', { server_id: 40211 })).toMatchObject({ boot_media: 'disk', mounted_iso: null, mounted_at: null });
  });

  it('stops on a refused step with HOSTKEY\u2019s message; skip goes on without it', async () => {
    const { core } = await jobRunner({ key: 'pin' });
    await core.call('pin/answer', { pin: DEMO_PIN });
    const started = await core.call('jobs/bootIso', { server_id: 60302, iso_name: UBUNTU });
    const stopped = await jobWhen(core, started.key, ended);
    expect(stopped).toMatchObject({ state: 'stopped', current: 1, choices: ['retry', 'skip', 'cancel'] });
    expect(stopped.steps[1]).toMatchObject({ state: 'failed', attempts: 1 });
    expect(stopped.steps[1]!.message).toMatch(/not supported for virtual servers/);
    expect(stopped.message).toMatch(/^Set the boot device to CD \(the ISO\) \(step 2 of 3\) failed: boot_dev media=cd is not supported/);

    const skipped = await core.call('jobs/skip', { key: started.key });
    expect(skipped.key).toBe(started.key);
    const done = await jobWhen(core, started.key, ended);
    expect(done.state).toBe('succeeded');
    expect(done.steps.map((s) => s.state)).toEqual(['succeeded', 'skipped', 'succeeded']);
    expect(done.message).toMatch(/without: set the boot device to cd/);
  });

  it('retries a failed step on the user\u2019s word only, and cancel sends nothing more', async () => {
    const { api, core } = await jobRunner();
    api.faults.failAction('boot_dev', 'the BMC is busy', 'task');
    const started = await core.call('jobs/bootIso', { server_id: 40212, iso_name: UBUNTU });
    const stopped = await jobWhen(core, started.key, ended);
    expect(stopped.state).toBe('stopped');
    expect(stopped.steps[1]!.message).toMatch(/the BMC is busy/);
    expect(api.requestCount('eq', 'boot_dev')).toBe(1);
    expect(api.requestCount('eq', 'reboot')).toBe(0);

    await core.call('jobs/retry', { key: started.key });
    const done = await jobWhen(core, started.key, ended);
    expect(done.state).toBe('succeeded');
    expect(done.steps[1]).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(api.requestCount('eq', 'boot_dev')).toBe(2);

    api.faults.failAction('unmount_iso', 'virtual media is stuck', 'answer');
    const back = await core.call('jobs/backToDisk', { server_id: 40212 });
    const refused = await jobWhen(core, back.key, ended);
    expect(refused.steps[0]).toMatchObject({ state: 'failed' });
    expect(refused.steps[0]!.message).toMatch(/virtual media is stuck/);
    const cancelled = await core.call('jobs/cancel', { key: back.key });
    expect(cancelled).toMatchObject({ state: 'cancelled', choices: [] });
    expect(cancelled.message).toMatch(/no further step was sent/);
    expect(api.requestCount('eq', 'boot_dev')).toBe(2);
  });

  it('refuses a second job on a server whose job has not ended', async () => {
    const { core } = await jobRunner();
    await core.call('jobs/bootIso', { server_id: 40215, iso_name: UBUNTU });
    const err = await rejection(core.call('jobs/power', { server_id: 40215, action: 'reboot' }));
    expect(err.message).toMatch(/already has a job that has not ended: Boot from ISO/);
  });
});

describe('power', { timeout: 120_000 }, () => {
  it('reads the state with its time, and powers off and on as one-step jobs', async () => {
    const { core } = await jobRunner();
    const before = await core.call('power/status', { server_id: 40211 });
    expect(before).toMatchObject({ power: 'unknown', read_at: null });
    const read = await core.call('power/status', { server_id: 40211, refresh: true });
    expect(read).toMatchObject({ power: 'on', text: 'Chassis Power is on' });
    expect(read.read_at).toBeGreaterThan(0);

    const off = await core.call('jobs/power', { server_id: 40211, action: 'off' });
    expect(off.steps.map((s) => s.action)).toEqual(['off']);
    expect((await jobWhen(core, off.key, ended)).state).toBe('succeeded');
    expect(await core.call('power/status', { server_id: 40211, refresh: true })).toMatchObject({ power: 'off', text: 'Chassis Power is off' });
    const on = await core.call('jobs/power', { server_id: 40211, action: 'on' });
    expect((await jobWhen(core, on.key, ended)).state).toBe('succeeded');
    expect(await core.call('power/status', { server_id: 40211, refresh: true })).toMatchObject({ power: 'on' });
  });
});

describe('the account PIN', { timeout: 120_000 }, () => {
  it('is asked for, sent as pin, kept in memory only, and three wrong tries are reported plainly', async () => {
    const { api, core } = await jobRunner({ key: 'pin' });
    const started = await core.call('jobs/power', { server_id: 60301, action: 'reboot' });
    const waiting = await jobWhen(core, started.key, (j) => j.state === 'needs_pin');
    expect(waiting.message).toMatch(/HOSTKEY asks for the account PIN \("PIN code required for this operation"\)/);
    expect(waiting.steps[0]).toMatchObject({ state: 'pending', attempts: 0 });

    await core.call('pin/answer', { pin: '0000' });
    const wrong = await jobWhen(core, started.key, (j) => j.state === 'needs_pin' && /wrong/.test(j.message ?? ''));
    expect(wrong.message).toMatch(/PIN is wrong .* 1 of 3 tries used: 2 left before it locks/);
    expect(await core.call('pin/status', {})).toEqual({ held: false, wrong_tries: 1, locked: false });

    await core.call('pin/answer', { pin: DEMO_PIN });
    const done = await jobWhen(core, started.key, ended);
    expect(done.state).toBe('succeeded');
    expect(api.requestCount('eq', 'reboot')).toBe(3);
    expect(await core.call('pin/status', {})).toEqual({ held: true, wrong_tries: 0, locked: false });

    // Never on disk: not in the journal, the cache file, or anywhere in the data folder.
    for (const file of fs.readdirSync(core.dataDir, { recursive: true, encoding: 'utf8' })) {
      const full = path.join(core.dataDir, file);
      if (fs.statSync(full).isFile()) expect(fs.readFileSync(full).includes(Buffer.from(`pin=${DEMO_PIN}`))).toBe(false);
    }

    for (const guess of ['1111', '2222']) {
      await core.call('pin/forget', {});
      const job = await core.call('jobs/power', { server_id: 60301, action: 'off' });
      await jobWhen(core, job.key, (j) => j.state === 'needs_pin');
      await core.call('pin/answer', { pin: guess });
      await jobWhen(core, job.key, (j) => j.state === 'needs_pin' && /wrong|locked/.test(j.message ?? ''));
      await core.call('jobs/cancel', { key: job.key });
    }
    const third = await core.call('jobs/power', { server_id: 60301, action: 'off' });
    await jobWhen(core, third.key, (j) => j.state === 'needs_pin');
    await core.call('pin/answer', { pin: '3333' });
    const locked = await jobWhen(core, third.key, (j) => /locked/.test(j.message ?? ''));
    expect(locked.message).toMatch(/locked the account PIN after 3 wrong tries.*Only HOSTKEY support can reset it/);
    expect(await core.call('pin/status', {})).toMatchObject({ locked: true, held: false });
  });
});

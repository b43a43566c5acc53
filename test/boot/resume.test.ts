/**
 * A job survives its process being killed (kill -9) between steps and in the middle of one:
 * the next process resumes it at the right step, and a step whose request was in flight is
 * never sent again without the user's word. Real CLI processes, a real data folder, the local
 * HOSTKEY API over HTTP; the only thing controlled is when the kill happens, by waiting for the
 * journal to show the moment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCache, type TrackedTask } from '../../main/cache/index.js';
import type { Job } from '../../main/domain/jobs.js';
import { openCommandLineSecretStore } from '../../main/session/shared-secrets.js';
import type { LocalApi } from '../../main/local-api/server.js';
import { localApi, startCore } from '../services/harness.js';
import { cliBundle, cliEnv, isodesk, signedInFolder } from '../cli/helpers.js';

const UBUNTU = 'ubuntu-24.04.1-live-server-amd64.iso';
let api: LocalApi;
const children: ChildProcess[] = [];

beforeAll(async () => {
  api = await localApi({ rebootMs: 300, taskDelayMs: 4000 });
});
afterAll(() => api.close());
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** The job's step tasks as the data folder holds them, read by a connection of this test. */
function stepTasks(dataDir: string): TrackedTask[] {
  const cache = openCache(path.join(dataDir, 'isodesk.db'), { readonly: true });
  try {
    return cache.tasks.list().filter((t) => t.job_key);
  } finally {
    cache.close();
  }
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    try {
      value = probe();
    } catch {
      value = undefined; // the file is being created or migrated
    }
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startBoot(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [await cliBundle(), 'boot', '--server', '40211', '--iso', UBUNTU, '--yes', '--wait'], {
    env: cliEnv({ dataDir, apiUrl: api.url }),
    stdio: 'ignore',
  });
  children.push(child);
  return child;
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const count = (action: string, server = 40211) => api.taskReport().filter((r) => r.action === action && r.server_id === server).length;

describe('a boot job killed with kill -9', { timeout: 240_000 }, () => {
  it('between steps: the desktop app resumes it at the next step, each step sent once', async () => {
    const dataDir = await signedInFolder(api.url, api.keys.client);
    const before = { mount: count('mount_iso'), boot_dev: count('boot_dev'), reboot: count('reboot') };
    const cli = await startBoot(dataDir);
    // HOSTKEY has accepted the mount (its key is in the journal) and is still working on it.
    await until('the mount to be accepted', () => stepTasks(dataDir).find((t) => t.kind === 'mount' && t.task_key !== null && t.state === 'running'));
    await killed(cli);
    expect(stepTasks(dataDir).map((t) => t.kind)).toEqual(['mount']);

    // The desktop app starts on the same data folder (as the shell does: tracking, resuming).
    const app = await startCore({ dataDir, apiUrl: api.url, secrets: openCommandLineSecretStore(dataDir) });
    try {
      const [job] = await app.call('jobs/list', {});
      const done = await new Promise<Job>((resolve) => {
        const check = () => {
          const current = app.app.jobs.get(job!.key);
          if (current.state !== 'running' && current.state !== 'paused') resolve(current);
        };
        app.app.events.on('jobs/changed', check);
        check();
      });
      expect(done.state).toBe('succeeded');
      expect(done.steps.map((s) => [s.action, s.state, s.attempts])).toEqual([
        ['mount_iso', 'succeeded', 1],
        ['boot_dev', 'succeeded', 1],
        ['reboot', 'succeeded', 1],
      ]);
    } finally {
      await app.app.close();
    }
    expect({ mount: count('mount_iso') - before.mount, boot_dev: count('boot_dev') - before.boot_dev, reboot: count('reboot') - before.reboot }).toEqual({
      mount: 1,
      boot_dev: 1,
      reboot: 1,
    });
  });

  it('in the middle of a step: its outcome is unknown, and it is sent again only on "retry"', async () => {
    const dataDir = await signedInFolder(api.url, api.keys.client);
    const before = count('boot_dev');
    const rebootsBefore = count('reboot');
    // The BMC takes its time over boot_dev: the CLI is killed while the request is in flight.
    api.faults.holdAction('boot_dev', 3_000);
    const cli = await startBoot(dataDir);
    await until('the boot_dev intent', () => stepTasks(dataDir).find((t) => t.kind === 'boot_dev' && t.accepted_at === null));
    await killed(cli);
    // HOSTKEY did get it (the hold ends, the request runs); nobody recorded its answer.
    await until('HOSTKEY to run boot_dev', () => (count('boot_dev') > before ? true : undefined), 30_000);

    // Any process reading the journal now sees the truth, and sends nothing by itself.
    const listed = await isodesk(['tasks', '--jobs', '--json'], { dataDir, apiUrl: api.url });
    const jobs = JSON.parse(listed.stdout) as Job[];
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!;
    expect(job).toMatchObject({ state: 'stopped', current: 1, choices: ['retry', 'skip', 'cancel'] });
    expect(job.steps.map((s) => s.state)).toEqual(['succeeded', 'unknown', 'pending']);
    expect(job.steps[1]!.message).toMatch(/^Sent at .*, outcome unknown: HOSTKEY's answer was never recorded/);
    expect(job.message).toMatch(/outcome is unknown.*Check the server, then retry it/);
    const human = await isodesk(['tasks'], { dataDir, apiUrl: api.url });
    expect(human.stdout).toMatch(/ >2\/3 Set the boot device to CD \(the ISO\) +unknown +Sent at/);
    expect(count('boot_dev')).toBe(before + 1);
    expect(count('reboot')).toBe(rebootsBefore);

    // The user checked the server and says: send it again.
    const retried = await isodesk(['tasks', 'retry', job.key.slice(0, 8), '--wait'], { dataDir, apiUrl: api.url });
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toMatch(/Boot from ISO .* on server 40211 .*: done\./);
    expect(count('boot_dev')).toBe(before + 2);
    expect(count('reboot')).toBe(rebootsBefore + 1);
    // By its key: following the power state after the reboot adds status readings, which are newer jobs.
    const after = (JSON.parse((await isodesk(['tasks', '--jobs', '--json'], { dataDir, apiUrl: api.url })).stdout) as Job[]).find((j) => j.key === job.key)!;
    expect(after.steps.map((s) => [s.state, s.attempts])).toEqual([
      ['succeeded', 1],
      ['succeeded', 2],
      ['succeeded', 1],
    ]);
  });
});

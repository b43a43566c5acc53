/**
 * What the boot and power job tests run on: the local HOSTKEY API and the real app core (services,
 * journal in a SQLite file), signed in and with the servers read, both closed when the test ends.
 */
import { onTestFinished } from 'vitest';
import type { AppOptions } from '../../../main/app.js';
import type { Job } from '../../../main/domain/jobs.js';
import type { LocalApi } from '../../../main/local-api/server.js';
import { localApi, startCore, type Core } from '../../services/harness.js';

export interface JobRunnerOptions {
  /** Whose account signs in (also the profile's name): the local API's 'client' or its PIN-protected 'pin'. */
  key?: 'client' | 'pin';
  /** How long a reboot takes at the local API. */
  rebootMs?: number;
  core?: Partial<AppOptions>;
}

/** Call it inside a test: what it starts is closed once that test has finished, pass or fail. */
export async function jobRunner(opts: JobRunnerOptions = {}): Promise<{ api: LocalApi; core: Core }> {
  const key = opts.key ?? 'client';
  const api = await localApi({ rebootMs: opts.rebootMs ?? 300 });
  onTestFinished(() => api.close());
  const core = await startCore({ apiUrl: api.url, ...opts.core });
  // Finished-test callbacks run last registered first: the core closes before the API it talks to.
  onTestFinished(() => core.app.close());
  await core.call('session/signIn', { profile: key, base_url: api.url, api_key: api.keys[key]! });
  await core.call('servers/list', { refresh: true });
  return { api, core };
}

/** The job once `pred` holds, from its 'jobs/changed' events (and a first look). */
export function jobWhen(core: Core, key: string, pred: (job: Job) => boolean, timeoutMs = 60_000): Promise<Job> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out; the job is ${JSON.stringify(core.app.jobs.get(key))}`));
    }, timeoutMs);
    const check = (job: Job) => {
      if (job.key !== key || !pred(job)) return;
      clearTimeout(timer);
      off();
      resolve(job);
    };
    const off = core.app.events.on('jobs/changed', ({ job }) => check(job));
    check(core.app.jobs.get(key));
  });
}

/** The job has ended or stopped for the user: it is no longer running. */
export const ended = (job: Job): boolean => job.state !== 'running';

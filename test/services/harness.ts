/** Starts the real app core on a temp data dir against the local HOSTKEY API. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App, type AppOptions } from '../../main/app.js';
import { MemorySecretStore, type SecretStore } from '../../main/session/secrets.js';
import { startLocalApi, type LocalApi, type LocalApiOptions } from '../../main/local-api/server.js';
import type { Channel, Request, Response } from '../../main/ipc/contract.js';
import type { TaskEvent } from '../../main/domain/models.js';
import { AppError } from '../../main/domain/errors.js';

export function tempDir(prefix = 'isodesk-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Quick polling and a budget that does not slow a test down (tests of the budget set their own). */
export const FAST_POLL = {
  taskPoll: { min: 100, max: 300 },
  uploadPoll: { min: 100, max: 300 },
  pollBudget: { rate: 1_000, burst: 1_000 },
  watchMs: 50,
} as const;

export async function localApi(opts: LocalApiOptions = {}): Promise<LocalApi> {
  return startLocalApi({ quiet: true, taskDelayMs: 300, uploadStepMs: 300, ...opts });
}

export interface Core {
  app: App;
  dataDir: string;
  secrets: SecretStore;
  call<C extends Channel>(channel: C, req: Request<C>): Promise<Response<C>>;
  /** The next event matching `pred`. */
  nextEvent(pred: (e: TaskEvent) => boolean, timeoutMs?: number): Promise<TaskEvent>;
}

export async function startCore(opts: Partial<AppOptions> = {}): Promise<Core> {
  const dataDir = opts.dataDir ?? tempDir();
  const secrets = opts.secrets ?? new MemorySecretStore();
  const app = await createApp({ ...FAST_POLL, trackTasks: true, ...opts, dataDir, secrets });
  return {
    app,
    dataDir,
    secrets,
    async call(channel, req) {
      const result = await app.dispatch(channel, req);
      if (!result.ok) throw AppError.fromInfo(result.error);
      return result.value as Response<typeof channel>;
    },
    nextEvent(pred, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error('timed out waiting for a task event'));
        }, timeoutMs);
        const off = app.events.on('tasks/changed', (e) => {
          if (!pred(e)) return;
          clearTimeout(timer);
          off();
          resolve(e);
        });
      });
    },
  };
}

export async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

/** A core signed in as profile "p" with `key`'s account, and the id of one of its active servers. */
export async function signedInCore(api: LocalApi, key: string, opts: Partial<AppOptions> = {}): Promise<{ core: Core; serverId: number }> {
  const core = await startCore(opts);
  await core.call('session/signIn', { profile: 'p', base_url: api.url, api_key: key });
  const servers = await core.call('servers/list', { refresh: true });
  return { core, serverId: servers.items.find((s) => s.state === 'active')!.id };
}

/**
 * The IPC handlers' logic against the real core (createApp on a temp SQLite file) and the local
 * HOSTKEY API: foreign senders are refused on every channel before anything runs, the app's own
 * frame still gets payload validation, and nothing the renderer receives carries a secret.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WebContents } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../main/app.js';
import { CHANNELS, EVENT_CHANNEL, type Channel } from '../../main/ipc/contract.js';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import { MemorySecretStore } from '../../main/session/secrets.js';
import { APP_ENTRY_URL } from '../../main/shell/app-origin.js';
import { createInvokeHandler, type InvokeHandler } from '../../main/shell/ipc-guard.js';
import type { SenderInfo } from '../../main/shell/sender-trust.js';
import { forwardAppEvents } from '../../main/shell/shell-events.js';

const WINDOW_ID = 7;
const own: SenderInfo = { webContentsId: WINDOW_ID, isMainFrame: true, frameUrl: APP_ENTRY_URL };

let api: LocalApi;
let core: App;
let dataDir: string;
let secrets: MemorySecretStore;
let invoke: InvokeHandler;
/** Everything forwarded to the window, as the preload would receive it. */
const sentToWindow: { channel: string; message: unknown }[] = [];

beforeAll(async () => {
  api = await startLocalApi({ quiet: true, taskDelayMs: 300 });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-ipc-'));
  secrets = new MemorySecretStore();
  core = await createApp({ dataDir, secrets, apiUrl: api.url, trackTasks: true, taskPoll: { min: 100, max: 400 } });
  invoke = createInvokeHandler(core.dispatch, () => WINDOW_ID);
  // A recorder in place of the window's webContents: the only two methods the forwarder uses.
  const recorder = { isDestroyed: () => false, send: (channel: string, message: unknown) => sentToWindow.push({ channel, message }) };
  forwardAppEvents(core.events, () => recorder as unknown as WebContents);
});

afterAll(async () => {
  await core?.close();
  await api?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('IPC sender guard', () => {
  const foreign: SenderInfo[] = [
    { ...own, webContentsId: WINDOW_ID + 1 },
    { ...own, isMainFrame: false },
    { ...own, frameUrl: 'https://evil.example/' },
  ];

  it('refuses every channel from anything but the app window main frame, before running it', async () => {
    const signIn = { profile: 'intruder', base_url: api.url, api_key: api.keys.client };
    for (const sender of foreign) {
      for (const channel of Object.keys(CHANNELS) as Channel[]) {
        const answer = await invoke(sender, channel, channel === 'session/signIn' ? signIn : {});
        expect(answer, `${channel} from ${JSON.stringify(sender)}`).toMatchObject({ ok: false, error: { kind: 'permission' } });
      }
    }
    const status = await invoke(own, 'session/status', {});
    expect(status).toMatchObject({ ok: true, value: { profiles: [], active: null } });
  });

  it('still validates what the app window sends', async () => {
    expect(await invoke(own, 'shell/exec', { cmd: 'rm -rf /' })).toMatchObject({
      ok: false,
      error: { kind: 'validation', message: 'Unknown request "shell/exec".' },
    });
    expect(await invoke(own, 'iso/mount', { server_id: '1; reboot', iso_name: 'x.iso' })).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expect(await invoke(own, 'iso/unmount', { server_id: 1, extra: true })).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expect(await invoke(own, 'session/signIn', { profile: 'p', base_url: 'file:///etc', api_key: 'k' })).toMatchObject({
      ok: false,
      error: { kind: 'validation' },
    });
  });
});

describe('secrets and the renderer', () => {
  it('never sends the API key or the token to the window, in answers or events', async () => {
    const answers: unknown[] = [];
    const call = async (channel: string, payload: unknown) => {
      const answer = await invoke(own, channel, payload);
      answers.push(answer);
      expect(answer, channel).toMatchObject({ ok: true });
      return (answer as { value: unknown }).value;
    };
    await call('session/signIn', { profile: 'work', base_url: 'https://api.hostkey.com', api_key: api.keys.client });
    const token = (await secrets.get('work'))?.token;
    expect(token, 'sign-in stored a token').toBeTruthy();

    await call('session/status', {});
    const servers = (await call('servers/list', { refresh: true })) as { items: { id: number }[] };
    const serverId = servers.items[0]!.id;
    await call('catalog/sync', { server_id: serverId });
    const catalog = (await call('catalog/query', { server_id: serverId })) as { rows: { iso_name: string }[] };
    await call('iso/mount', { server_id: serverId, iso_name: catalog.rows[0]!.iso_name });
    await expect
      .poll(() => sentToWindow.some(({ message }) => (message as { payload?: { type?: string } }).payload?.type === 'finished'), { timeout: 15_000 })
      .toBe(true);
    await call('tasks/list', {});

    expect(sentToWindow.every(({ channel }) => channel === EVENT_CHANNEL)).toBe(true);
    const everything = JSON.stringify([answers, sentToWindow]);
    expect(everything).not.toContain(api.keys.client);
    expect(everything).not.toContain(token);
  });
});

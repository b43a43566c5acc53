/**
 * The activity timeline, upload use and deleting several uploads, end to end: the real app core
 * over real HTTP to the local HOSTKEY API, with a real journal. A mount this app made is one row
 * with HOSTKEY's login and message and the journal's server and outcome; filters and exports hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../main/local-api/server.js';
import { activityCsv, apiMoment } from '../../main/services/activity.js';
import { localApi, signedInCore, type Core } from './harness.js';

let api: LocalApi;
const open: Core[] = [];

beforeAll(async () => {
  api = await localApi();
});

afterAll(async () => {
  await Promise.all(open.map((c) => c.app.close()));
  await api.close();
});

async function signedIn(key = api.keys.client): Promise<{ core: Core; serverId: number }> {
  const signed = await signedInCore(api, key);
  open.push(signed.core);
  return signed;
}

describe('the activity timeline', () => {
  it('merges HOSTKEY’s history, the journal and the uploads, newest first, one row per event', async () => {
    const { core, serverId } = await signedIn();
    await core.call('catalog/sync', { server_id: serverId });
    const own = await core.call('uploads/list', { refresh: true });
    const arch = own.items.find((i) => i.iso_name === 'archlinux-2024.11.01-x86_64.iso')!;
    const done = core.nextEvent((e) => e.task.kind === 'mount' && e.task.state !== 'running');
    const task = await core.call('iso/mount', { server_id: serverId, iso_name: arch.iso_name });
    expect((await done).task.state).toBe('succeeded');

    // Reading an image's history makes it one the user works with.
    await core.call('iso/history', { iso_id: 101, refresh: true });
    const all = await core.call('activity/list', { refresh: true });
    expect(all.notes).toEqual([]);
    const times = all.rows.map((r) => r.at);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const mounts = all.rows.filter((r) => r.kind === 'mount' && r.iso_id === arch.id);
    // This app's mount: HOSTKEY's history entry merged with its journal task.
    const mine = mounts.find((r) => r.sources.includes('journal'))!;
    expect(mine).toMatchObject({
      sources: ['hostkey', 'journal'],
      server_id: serverId,
      login: 'client@example.com',
      message: `Mount on server ${serverId}`,
      state: 'succeeded',
      iso_name: arch.iso_name,
    });
    expect(Math.abs(mine.at - task.created_at)).toBeLessThan(60_000);
    expect(all.rows.filter((r) => r.id === `journal:${task.key}`)).toEqual([]);
    // HOSTKEY's history of an image mounted elsewhere (the demo's Ubuntu), with its login.
    expect(all.rows).toContainEqual(
      expect.objectContaining({ kind: 'mount', sources: ['hostkey'], login: 'client@example.com', message: 'Mounted on server 40211' }),
    );
    // Every upload of the account is in the timeline (from HOSTKEY's history).
    for (const iso of own.items) expect(all.rows.some((r) => r.kind === 'upload' && r.iso_id === iso.id)).toBe(true);
    expect(all.kinds).toEqual(expect.arrayContaining(['mount', 'upload']));

    const onServer = await core.call('activity/list', { server_id: serverId });
    expect(onServer.rows.length).toBeGreaterThan(0);
    expect(onServer.rows.every((r) => r.server_id === serverId)).toBe(true);
    const uploadsOnly = await core.call('activity/list', { kind: 'upload' });
    expect(uploadsOnly.rows.length).toBeGreaterThan(0);
    expect(uploadsOnly.rows.every((r) => r.kind === 'upload')).toBe(true);
    const ofArch = await core.call('activity/list', { iso_id: arch.id });
    expect(ofArch.rows.every((r) => r.iso_id === arch.id)).toBe(true);
    const recent = await core.call('activity/list', { since: task.created_at - 1_000 });
    expect(recent.rows.map((r) => r.id)).toContain(mine.id);
    expect(recent.rows.every((r) => r.at >= task.created_at - 1_000)).toBe(true);

    const csv = await core.call('activity/export', { format: 'csv', iso_id: arch.id });
    expect(csv).toMatchObject({ mime: 'text/csv', saved_to: null, cancelled: false, rows: ofArch.rows.length });
    expect(csv.file_name).toMatch(/^isodesk-activity-\d{8}-\d{4}\.csv$/);
    const lines = csv.content!.trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,kind,login,what,server_id,iso_id,iso_name,state,message,sources');
    expect(lines).toHaveLength(ofArch.rows.length + 1);
    expect(lines).toContainEqual(expect.stringContaining(`,mount,client@example.com,`));
    const json = await core.call('activity/export', { format: 'json', iso_id: arch.id });
    expect((JSON.parse(json.content!) as { time: string }[]).map((r) => r.time)).toEqual(ofArch.rows.map((r) => new Date(r.at).toISOString()));
  });

  it('answers from the cache when HOSTKEY is not asked again', async () => {
    const { core } = await signedIn();
    await core.call('activity/list', { refresh: true });
    const before = api.requestCount('iso', 'history');
    const cached = await core.call('activity/list', { refresh: false });
    expect(api.requestCount('iso', 'history')).toBe(before);
    expect(cached.rows.some((r) => r.kind === 'upload')).toBe(true);
  });
});

describe('upload hygiene', () => {
  it('says when each upload was last mounted, and "never" only where the history was read', async () => {
    const { core, serverId } = await signedIn();
    const own = (await core.call('uploads/list', { refresh: true })).items;
    const done = core.nextEvent((e) => e.task.kind === 'mount' && e.task.state !== 'running');
    await core.call('iso/mount', { server_id: serverId, iso_name: 'archlinux-2024.11.01-x86_64.iso' });
    await done;
    const usage = await core.call('uploads/usage', { refresh: true });
    const of = (name: string) => usage.items.find((u) => u.iso_id === own.find((i) => i.iso_name === name)!.id)!;
    expect(of('archlinux-2024.11.01-x86_64.iso')).toMatchObject({ last_mounted_at: expect.any(Number), last_mounted_server: serverId, history_known: true });
    expect(of('win-custom-2022.iso')).toMatchObject({ last_mounted_at: null, history_known: true });
    expect(usage.items).toHaveLength(own.length);
  });

  it('deletes several uploads with one request each, and one refusal does not stop the rest', async () => {
    const { core } = await signedIn();
    const started = await Promise.all(
      ['https://mirror.example.org/tidy/one.iso', 'https://mirror.example.org/tidy/two.iso'].map((url) => core.call('uploads/start', { url })),
    );
    await core.app.tracker.stop();
    const own = (await core.call('uploads/list', { refresh: true })).items;
    const ids = started.map((t) => own.find((i) => i.url === t.url)!.id);
    const { results } = await core.call('uploads/deleteMany', { ids: [...ids, 999_999] });
    expect(results.map((r) => [r.id, r.ok])).toEqual([
      [ids[0], true],
      [ids[1], true],
      [999_999, false],
    ]);
    expect(results[0]!.status).toBe('Deleting');
    expect(results[2]!.error?.kind).toBe('not_found');
  });
});

describe('export and dates', () => {
  it('reads HOSTKEY’s zone-less history dates as UTC, and keeps CSV cells as text', () => {
    expect(apiMoment('2024-01-15 10:30:00')).toBe(Date.UTC(2024, 0, 15, 10, 30));
    expect(apiMoment('2024-01-15T10:30:00+02:00')).toBe(Date.UTC(2024, 0, 15, 8, 30));
    expect(apiMoment('yesterday')).toBeNull();
    const csv = activityCsv([
      {
        id: 'x',
        at: 0,
        sources: ['hostkey'],
        kind: 'update',
        login: '=cmd()',
        what: 'Said "hi", then left',
        server_id: null,
        iso_id: 1,
        iso_name: null,
        message: 'a\nb',
        state: null,
      },
    ]);
    expect(csv.split('\r\n')[1]).toBe(`1970-01-01T00:00:00.000Z,update,'=cmd(),"Said ""hi"", then left",,1,,,"a\nb",hostkey`);
  });
});

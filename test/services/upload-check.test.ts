/**
 * What ISO Desk learns before an upload, through the real app core: the local HOSTKEY API on one
 * port, a publisher's mirror (the local file host, https with a CA made for this run and trusted
 * through the app's explicit CA option) on another. Checksum discovery in every list format,
 * checksum provenance kept in the journal, and dedupe against uploaded images and uploads in flight.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../main/local-api/server.js';
import { VERIFY_COMMAND } from '../../main/ipc/contract.js';
import { openCache } from '../../main/cache/index.js';
import { CACHE_FILE } from '../../main/app.js';
import { PUBLISHED, startPublisher, type Publisher } from '../fixtures/publisher.js';
import { localApi, startCore, type Core } from './harness.js';

let dir: string;
let api: LocalApi;
let publisher: Publisher;
let core: Core;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-upload-check-'));
  [api, publisher] = await Promise.all([localApi(), startPublisher(dir)]);
  core = await startCore({ fileHostCa: publisher.certs.ca });
  await core.call('session/signIn', { profile: 'client', base_url: api.url, api_key: api.keys.client });
});

afterAll(async () => {
  await core?.app.close();
  await Promise.all([api?.close(), publisher?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

const probe = (url: string) => core.call('uploads/probe', { url });

describe('checksum discovery', () => {
  it.each([
    ['GNU SHA256SUMS (binary mode)', PUBLISHED.ubuntu, '/releases/24.04/SHA256SUMS'],
    ['tagged CHECKSUM (Fedora style, upper case)', PUBLISHED.fedora, '/fedora/41/CHECKSUM'],
    ['a lone digest in <file>.sha256', PUBLISHED.tool, `${PUBLISHED.tool}.sha256`],
    ["Arch's sha256sums.txt", PUBLISHED.arch, '/arch/2024.11.01/sha256sums.txt'],
  ])('%s', async (_, file, list) => {
    const { checksum, image } = await probe(publisher.url(file));
    expect(checksum).toEqual({
      sha256: publisher.sha256[file],
      source_url: publisher.url(list),
      tried: expect.arrayContaining([publisher.url(list)]) as string[],
      verify_command: VERIFY_COMMAND,
      warnings: [],
    });
    expect(image?.kind).toBe('iso');
  });

  it('looks in the same folder only, and says where it looked when nothing lists the file', async () => {
    const { checksum } = await probe(publisher.url(PUBLISHED.unlisted));
    expect(checksum?.sha256).toBeNull();
    expect(checksum?.source_url).toBeNull();
    expect(checksum?.tried).toEqual(
      [`${PUBLISHED.unlisted}.sha256`, '/misc/SHA256SUMS', '/misc/SHA256SUMS.txt', '/misc/CHECKSUM', '/misc/sha256sums.txt'].map((p) => publisher.url(p)),
    );
  });

  it('believes neither of two lists that disagree', async () => {
    const { checksum } = await probe(publisher.url(PUBLISHED.disputed));
    expect(checksum?.sha256).toBeNull();
    expect(checksum?.warnings).toEqual([expect.stringMatching(/lists disagree about build-7\.iso/)]);
  });

  it('finds the file a "latest" link redirects to in the list beside the link', async () => {
    const { checksum, image } = await probe(publisher.url('/stable/current.iso'));
    expect(checksum).toMatchObject({ sha256: publisher.sha256[PUBLISHED.stable], source_url: publisher.url('/stable/SHA256SUMS') });
    expect(image?.volume_label).toBe('HYBRID_24_04');
  });

  it('warns about a download page and an archive, and still lets them through', async () => {
    const page = await probe(publisher.url(PUBLISHED.page));
    expect(page.image?.kind).toBe('html');
    expect(page.problems).toEqual([]);
    const zip = await probe(publisher.url(PUBLISHED.archive));
    expect(zip.image).toMatchObject({ kind: 'archive', format: 'zip' });
  });
});

describe('checksum provenance in the journal', () => {
  function journalled(url: string) {
    const cache = openCache(path.join(core.dataDir, CACHE_FILE), { readonly: true });
    try {
      return cache.checksums.latestFor('client', url);
    } finally {
      cache.close();
    }
  }

  it('keeps the checksum its probe showed with the upload, and gives it back for the uploaded image', async () => {
    const url = publisher.url(PUBLISHED.ubuntu);
    await probe(url);
    const task = await core.call('uploads/start', { url });
    expect(task.url).toBe(url);
    expect(journalled(url)).toMatchObject({
      url,
      file_name: 'example-24.04-live-server-amd64.iso',
      sha256: publisher.sha256[PUBLISHED.ubuntu],
      source_url: publisher.url('/releases/24.04/SHA256SUMS'),
    });
    const image = (await core.call('uploads/list', { refresh: true })).items.find((i) => i.iso_name === 'example-24.04-live-server-amd64.iso');
    expect(await core.call('uploads/checksum', { url: image!.url! })).toEqual({
      sha256: publisher.sha256[PUBLISHED.ubuntu],
      source_url: publisher.url('/releases/24.04/SHA256SUMS'),
      found_at: expect.any(Number) as number,
      verify_command: 'sha256sum /dev/sr0',
    });
  });

  it('looks the checksum up for an upload that was not probed first', async () => {
    const url = publisher.url(PUBLISHED.fedora);
    await core.call('uploads/start', { url });
    expect(journalled(url)).toMatchObject({ url, sha256: publisher.sha256[PUBLISHED.fedora] });
  });

  it('records nothing when the publisher lists no checksum', async () => {
    const url = publisher.url(PUBLISHED.unlisted);
    await core.call('uploads/start', { url });
    expect(journalled(url)).toBeNull();
    expect(await core.call('uploads/checksum', { url })).toBeNull();
  });
});

describe('upload dedupe', () => {
  it('finds an image already uploaded under the same file name (Active: mount it instead)', async () => {
    const { duplicates } = await probe(publisher.url(PUBLISHED.arch));
    expect(duplicates).toEqual([
      expect.objectContaining({
        source: 'uploaded',
        match: 'file_name',
        iso_id: 901,
        iso_name: 'archlinux-2024.11.01-x86_64.iso',
        status: 'Active',
        state: 'succeeded',
        mountable: true,
        repeat: true,
        since: '2024-11-02T10:12:00Z',
      }),
    ]);
  });

  it('lists a failed earlier upload for information, not as a repeat', async () => {
    const { duplicates } = await probe(publisher.url('/tools/win-custom-2022.iso'));
    expect(duplicates).toEqual([expect.objectContaining({ iso_id: 902, state: 'failed', mountable: false, repeat: false })]);
  });

  it('finds an upload in flight by its URL, then the same image once it is Active', async () => {
    const url = publisher.url(PUBLISHED.tool);
    expect((await probe(url)).duplicates).toEqual([]);
    const active = core.nextEvent((e) => e.task.url === url && e.task.state === 'succeeded', 25_000);
    const task = await core.call('uploads/start', { url });
    const inFlight = (await probe(url)).duplicates!;
    expect(inFlight).toHaveLength(1);
    expect(inFlight[0]).toMatchObject({ match: 'url', url, state: 'running', repeat: true, mountable: false, task_key: task.key });

    await active;
    const done = (await probe(url)).duplicates!;
    expect(done).toEqual([expect.objectContaining({ source: 'uploaded', match: 'url', state: 'succeeded', mountable: true, iso_name: 'rescue-1.2.iso' })]);
  });

  it('compares with the cache offline, and with nothing when signed out', async () => {
    const offline = await startCore({ dataDir: core.dataDir, secrets: core.secrets, offline: true, trackTasks: false });
    try {
      const answer = await offline.call('uploads/probe', { url: publisher.url(PUBLISHED.arch) });
      expect(answer.image).toBeNull();
      expect(answer.warnings).toContain('Offline: the file itself was not checked.');
      expect(answer.duplicates?.map((d) => d.iso_id)).toEqual([901]);
    } finally {
      await offline.app.close();
    }
    const stranger = await startCore({ fileHostCa: publisher.certs.ca });
    try {
      const answer = await stranger.call('uploads/probe', { url: publisher.url(PUBLISHED.arch) });
      expect(answer.duplicates).toBeNull();
      expect(answer.warnings.join(' ')).toMatch(/Not signed in/);
      expect(answer.checksum?.sha256).toBe(publisher.sha256[PUBLISHED.arch]);
    } finally {
      await stranger.app.close();
    }
  });
});

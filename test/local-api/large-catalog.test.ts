import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../main/local-api/server.js';
import { SYNTHETIC_FIRST_ID, SyntheticIsos } from '../../main/local-api/synthetic.js';
import { call, list, login, start, type Body } from './helpers.js';

const COUNT = 100_000;
const ADMIN_ONLY = Math.floor(COUNT / 97);

describe('synthetic ISOs', () => {
  it('are varied, unique, plausible and the same for the same id', () => {
    const range = new SyntheticIsos(COUNT);
    const images = Array.from({ length: COUNT }, (_, i) => range.make(SYNTHETIC_FIRST_ID + i));
    expect(new Set(images.map((i) => i.iso_name)).size).toBe(COUNT);
    expect(new Set(images.map((i) => i.iso_name.split('-')[0])).size).toBeGreaterThanOrEqual(8);
    expect(images.every((i) => i.size !== null && i.size > 100 * 1024 * 1024 && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(i.created_at))).toBe(true);
    expect(images.filter((i) => i.admin_only === 1)).toHaveLength(ADMIN_ONLY);
    expect(range.make(SYNTHETIC_FIRST_ID + 4242)).toEqual(images[4242]);
    expect(range.has(SYNTHETIC_FIRST_ID + COUNT)).toBe(false);
  });
});

describe(`a local API with ${COUNT.toLocaleString('en')} extra images`, () => {
  let api: LocalApi;
  let plain: LocalApi;
  // How fast this is belongs in `npm run bench`, not in a timed test on a shared machine.
  beforeAll(async () => {
    api = await start({ isoCount: COUNT });
    plain = await start();
  });
  afterAll(() => Promise.all([api.close(), plain.close()]));

  const listFor = async (target: LocalApi, key: string): Promise<Body[]> =>
    list((await call(target, 'iso', 'list_iso', await login(target, key), { id: 40211 })).body, 'iso_images');

  it('serves them all over HTTP, minus what the client may not see', async () => {
    const baseline = (await listFor(plain, plain.keys.client)).length;
    const images = await listFor(api, api.keys.client);
    expect(images).toHaveLength(baseline + COUNT - ADMIN_ONLY);
    expect(images.at(-1)).toEqual({
      id: SYNTHETIC_FIRST_ID + COUNT - 1,
      iso_name: expect.stringMatching(/\.iso$/),
      description: expect.any(String),
      size: expect.any(Number),
      created_at: expect.any(String),
    });
    // 100,000 images in one answer: generous on a machine shared with other test runs.
  }, 120_000);

  it('keeps changes to a synthetic image, and lists new images after the synthetic ones', async () => {
    const admin = await login(api, api.keys.admin);
    const id = SYNTHETIC_FIRST_ID + 10;
    await call(api, 'iso', 'update', admin, { 'params[id]': id, 'params[description]': 'Pinned build' });
    await call(api, 'iso', 'del', admin, { 'params[id]': id + 1, 'params[pending]': 1 });
    const added = await call(api, 'iso', 'add', admin, {
      'params[name]': 'Late',
      'params[short_name]': 'late',
      'params[iso_name]': 'late.iso',
      'params[private]': 'client@example.com',
      'params[status]': 'Active',
    });
    expect((added.body.data as Body).id).toBe(SYNTHETIC_FIRST_ID + COUNT);
    const images = await listFor(api, api.keys.admin);
    expect(images.find((i) => i.id === id)?.description).toBe('Pinned build');
    expect(images.some((i) => i.id === id + 1)).toBe(false);
    expect(images.at(-1)?.iso_name).toBe('late.iso');
    expect(list((await call(api, 'iso', 'history', admin, { id })).body, 'data').map((e) => e.type)).toEqual(['update']);
  });

  it('finds a synthetic image by name without scanning, before and after a rename', async () => {
    const client = await login(api, api.keys.client);
    const range = new SyntheticIsos(COUNT);
    const target = range.make(SYNTHETIC_FIRST_ID + 77_776);
    const mount = (iso: string) => call(api, 'iso', 'mount_iso', client, { id: 40211, iso });
    expect((await mount(target.iso_name)).body.callback).toEqual(expect.any(String));
    expect((await mount(target.name)).body.callback).toEqual(expect.any(String));
    const admin = await login(api, api.keys.admin);
    await call(api, 'iso', 'update', admin, { 'params[id]': target.id, 'params[iso_name]': 'pinned-rescue.iso' });
    expect((await mount(target.iso_name)).body).toMatchObject({ code: -1 });
    expect((await mount('pinned-rescue.iso')).body.callback).toEqual(expect.any(String));
  });
});

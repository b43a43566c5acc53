import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../main/local-api/server.js';
import { call, list, login, manualClock, start, type Body } from './helpers.js';

const STEP = 1000;
let clock: ReturnType<typeof manualClock>;
let api: LocalApi;
let client: string;
let other: string;
let admin: string;
let staff: string;

beforeEach(async () => {
  clock = manualClock();
  api = await start({ now: clock.now, uploadStepMs: STEP });
  client = await login(api, api.keys.client);
  other = await login(api, api.keys.other);
  admin = await login(api, api.keys.admin);
  staff = await login(api, api.keys.staff ?? '');
});
afterEach(() => api.close());

const ids = (images: Body[]) => images.map((i) => i.id);

async function listIso(token: string, serverId: number): Promise<Body[]> {
  return list((await call(api, 'iso', 'list_iso', token, { id: serverId })).body, 'iso_images');
}

async function uploaded(token: string, email?: string): Promise<Body[]> {
  return list((await call(api, 'iso', 'uploaded', token, email === undefined ? {} : { 'params[email]': email })).body, 'data');
}

/** add's parameters, spelled as the seed's table spells them. */
const ADD = {
  'params[name]': 'Client Toolkit',
  'params[short_name]': 'toolkit',
  'params[iso_name]': 'toolkit-1.0.iso',
  'params[private]': 'client@example.com',
  'params[description]': 'Tools',
};

describe('list_iso', () => {
  it("answers exactly the seed's shape", async () => {
    const { body } = await call(api, 'iso', 'list_iso', client, { id: 40211 });
    expect(body).toMatchObject({ result: 'OK', action: 'list_iso', module: 'iso', server_id: 40211 });
    const ubuntu = list(body, 'iso_images').find((i) => i.id === 101);
    expect(ubuntu).toEqual({
      id: 101,
      iso_name: 'ubuntu-24.04.1-live-server-amd64.iso',
      description: 'Ubuntu Server 24.04.1 LTS (Noble Numbat)',
      size: 2773874688,
      created_at: '2024-08-29T14:02:11Z',
    });
  });

  it("hides admin-only images and other customers' private images from a client", async () => {
    const seen = ids(await listIso(client, 40211));
    expect(seen).toContain(901); // the client's own private upload
    expect(seen).not.toContain(113); // admin_only
    expect(seen).not.toContain(116); // admin_only
    expect(seen).not.toContain(904); // other@example.com's private image
    expect(ids(await listIso(other, 50101))).toContain(904);
    expect(ids(await listIso(other, 50101))).not.toContain(901);
  });

  it('lists only mountable images: no pending or failed uploads', async () => {
    const seen = ids(await listIso(client, 40211));
    expect(seen).not.toContain(902); // Error
    expect(seen).not.toContain(903); // Pending
  });

  it('shows staff everything, and lets staff omit the server id', async () => {
    const { body } = await call(api, 'iso', 'list_iso', admin, {});
    expect(body.server_id).toBeNull();
    expect(ids(list(body, 'iso_images'))).toEqual(expect.arrayContaining([113, 116, 901, 904]));
    expect(ids(await listIso(staff, 40211))).toEqual(expect.arrayContaining([113, 116]));
  });

  it('requires a server id from clients, and only their own servers', async () => {
    expect((await call(api, 'iso', 'list_iso', client, {})).body).toEqual({ code: -1, message: 'invalid argument id: a server id is required for clients' });
    expect((await call(api, 'iso', 'list_iso', client, { id: 50101 })).body).toEqual({ code: -1, message: 'Server not found' });
  });
});

describe('add', () => {
  it('is refused to clients and employees', async () => {
    const refused = { code: -1, message: 'Permission denied: adding ISO images requires administrator privileges' };
    expect((await call(api, 'iso', 'add', client, ADD)).body).toEqual(refused);
    expect((await call(api, 'iso', 'add', staff, ADD)).body).toEqual(refused);
  });

  it("creates an image with the seed's fields, then updates it by name", async () => {
    const created = await call(api, 'iso', 'add', admin, ADD);
    expect(created.body).toEqual({
      result: 'OK',
      action: 'add',
      module: 'iso',
      data: {
        id: expect.any(Number),
        name: 'Client Toolkit',
        short_name: 'toolkit',
        iso_name: 'toolkit-1.0.iso',
        private: 'client@example.com',
        description: 'Tools',
        admin_only: 0,
        status: 'Pending',
        created_at: '2025-03-01T12:00:00Z',
        updated_at: '2025-03-01T12:00:00Z',
      },
    });
    const id = (created.body.data as Body).id;
    clock.advance(60_000);
    const updated = await call(api, 'iso', 'add', admin, {
      ...ADD,
      'params[iso_name]': 'toolkit-1.1.iso',
      'params[admin_only]': 1,
      'params[status]': 'Active',
    });
    expect(updated.body.data).toMatchObject({
      id,
      iso_name: 'toolkit-1.1.iso',
      admin_only: 1,
      status: 'Active',
      created_at: '2025-03-01T12:00:00Z',
      updated_at: '2025-03-01T12:01:00Z',
    });
  });

  it('moves a Pending image to Active, after which its owner can mount it', async () => {
    const id = (await call(api, 'iso', 'add', admin, ADD)).body.data as Body;
    expect(ids(await listIso(client, 40211))).not.toContain(id.id);
    clock.advance(2 * STEP);
    const entry = (await listIso(client, 40211)).find((i) => i.id === id.id);
    expect(entry).toMatchObject({ iso_name: 'toolkit-1.0.iso', size: expect.any(Number) });
    expect(ids(await listIso(other, 50101))).not.toContain(id.id);
  });

  it('validates its parameters', async () => {
    const add = (input: Partial<typeof ADD>) => call(api, 'iso', 'add', admin, { ...ADD, ...input });
    expect((await add({ 'params[private]': 'not-an-email' })).body).toEqual({ code: -1, message: 'invalid argument private: must be a valid email address' });
    expect((await add({ 'params[name]': '' })).body).toEqual({ code: -1, message: 'invalid argument name' });
    expect((await add({ 'params[iso_name]': 'toolkit.img' })).body).toEqual({
      code: -1,
      message: 'invalid argument iso_name: must be a file name ending in .iso',
    });
    expect((await add({ 'params[name]': 'Another', 'params[iso_name]': 'debian-12.7.0-amd64-netinst.iso' })).body).toEqual({
      code: -1,
      message: 'invalid argument iso_name: already used by ISO 103',
    });
  });
});

describe('update', () => {
  it('lets the owner of a private image change it', async () => {
    const { body } = await call(api, 'iso', 'update', client, { 'params[id]': 901, 'params[description]': 'Arch for rescue' });
    expect(body).toMatchObject({ result: 'OK', action: 'update', data: { id: 901, description: 'Arch for rescue' } });
    expect((await listIso(client, 40211)).find((i) => i.id === 901)?.description).toBe('Arch for rescue');
  });

  it('refuses public images to clients, allows them to admins', async () => {
    expect((await call(api, 'iso', 'update', client, { 'params[id]': 101, 'params[description]': 'x' })).body).toEqual({
      code: -1,
      message: 'Permission denied: only administrators and the owner of a private image may change it',
    });
    const { body } = await call(api, 'iso', 'update', admin, { 'params[id]': 101, 'params[iso_name]': 'ubuntu-24.04.2-live-server-amd64.iso' });
    expect(body.data).toMatchObject({ iso_name: 'ubuntu-24.04.2-live-server-amd64.iso' });
  });

  it('needs something to change and an image the caller can see', async () => {
    expect((await call(api, 'iso', 'update', client, { 'params[id]': 901 })).body).toEqual({
      code: -1,
      message: 'nothing to update: give description or iso_name',
    });
    expect((await call(api, 'iso', 'update', client, { 'params[id]': 904, 'params[description]': 'x' })).body).toEqual({ code: -1, message: 'ISO not found' });
    expect((await call(api, 'iso', 'update', client, { 'params[id]': 113, 'params[description]': 'x' })).body).toEqual({ code: -1, message: 'ISO not found' });
  });
});

describe('del and delete', () => {
  it('lets the owner delete a private image at once with params[pending]', async () => {
    const { body } = await call(api, 'iso', 'del', client, { 'params[id]': 901, 'params[pending]': 1 });
    expect(body).toEqual({ result: 'OK', action: 'del', module: 'iso', data: { id: 901, status: 'Deleted' } });
    expect(ids(await listIso(client, 40211))).not.toContain(901);
    expect(ids(await uploaded(client))).not.toContain(901);
    expect((await call(api, 'iso', 'del', client, { 'params[id]': 901 })).body).toEqual({ code: -1, message: 'ISO not found' });
  });

  it('queues a deletion without params[pending]: Deleting first, gone later', async () => {
    const { body } = await call(api, 'iso', 'del', client, { 'params[id]': 902 });
    expect(body.data).toEqual({ id: 902, status: 'Deleting' });
    expect((await uploaded(client)).find((i) => i.id === 902)?.status).toBe('Deleting');
    clock.advance(STEP);
    expect(ids(await uploaded(client))).not.toContain(902);
  });

  it("refuses public images and other customers' images to clients; admins may delete anything", async () => {
    expect((await call(api, 'iso', 'del', client, { 'params[id]': 101 })).body).toEqual({
      code: -1,
      message: 'Permission denied: only administrators and the owner of a private image may delete it',
    });
    expect((await call(api, 'iso', 'del', client, { 'params[id]': 904 })).body).toEqual({ code: -1, message: 'ISO not found' });
    expect((await call(api, 'iso', 'del', admin, { 'params[id]': 101, 'params[pending]': 1 })).body.data).toEqual({ id: 101, status: 'Deleted' });
    expect(ids(await listIso(client, 40211))).not.toContain(101);
  });

  it('delete (by top-level id) follows the same rules', async () => {
    expect((await call(api, 'iso', 'delete', client, { id: 102 })).body).toMatchObject({
      code: -1,
      message: expect.stringContaining('Permission denied'),
    });
    expect((await call(api, 'iso', 'delete', other, { id: 904 })).body).toEqual({
      result: 'OK',
      action: 'delete',
      module: 'iso',
      data: { id: 904, status: 'Deleting' },
    });
    expect((await call(api, 'iso', 'delete', client, {})).body).toEqual({ code: -1, message: 'invalid argument id' });
  });
});

describe('upload and uploaded', () => {
  const URL = 'https://releases.example.org/images/netboot-2025.01.iso';

  it('walks an upload from Pending through Downloading to Active', async () => {
    const { body } = await call(api, 'iso', 'upload', client, { 'params[url]': URL });
    expect(body).toMatchObject({
      result: 'OK',
      action: 'upload',
      module: 'iso',
      data: { iso_name: 'netboot-2025.01.iso', status: 'Pending', private: 'client@example.com', url: URL, size: null },
    });
    const id = (body.data as Body).id;
    const statusNow = async () => (await uploaded(client)).find((i) => i.id === id)?.status;
    expect(await statusNow()).toBe('Pending');
    clock.advance(STEP);
    expect(await statusNow()).toBe('Downloading');
    clock.advance(STEP);
    expect(await statusNow()).toBe('Active');
    expect((await listIso(client, 40211)).find((i) => i.id === id)).toMatchObject({ size: expect.any(Number) });
  });

  it('ends in Error for a URL that fails', async () => {
    const { body } = await call(api, 'iso', 'upload', client, { 'params[url]': 'https://files.example.org/fail/broken-build.iso' });
    clock.advance(2 * STEP);
    expect((await uploaded(client)).find((i) => i.id === (body.data as Body).id)?.status).toBe('Error');
  });

  it('requires an https URL of a file', async () => {
    const refused = { code: -1, message: 'invalid argument url: must be an https:// address of an ISO file' };
    expect((await call(api, 'iso', 'upload', client, { 'params[url]': 'http://example.org/a.iso' })).body).toEqual(refused);
    expect((await call(api, 'iso', 'upload', client, { 'params[url]': 'https://example.org/' })).body).toEqual(refused);
    expect((await call(api, 'iso', 'upload', client, { 'params[url]': 'not a url' })).body).toEqual(refused);
    expect((await call(api, 'iso', 'upload', client, {})).body).toEqual({ code: -1, message: 'invalid argument url' });
  });

  it('requires staff to name the customer by email and customer_id', async () => {
    const missing = await call(api, 'iso', 'upload', staff, { 'params[url]': URL });
    expect(missing.body).toEqual({ code: -1, message: "invalid argument email: staff must give the customer's email and customer_id" });
    const noId = await call(api, 'iso', 'upload', admin, { 'params[url]': URL, 'params[email]': 'other@example.com' });
    expect(noId.body).toMatchObject({ code: -1, message: expect.stringContaining('invalid argument customer_id') });
    const { body } = await call(api, 'iso', 'upload', staff, { 'params[url]': URL, 'params[email]': 'other@example.com', 'params[customer_id]': 1002 });
    expect(body.data).toMatchObject({ private: 'other@example.com', status: 'Pending' });
    expect(ids(await uploaded(other))).toContain((body.data as Body).id);
    expect(ids(await uploaded(client))).not.toContain((body.data as Body).id);
  });

  it("lists a client's own uploads in every state", async () => {
    const mine = await uploaded(client);
    expect(mine.map((i) => [i.id, i.status])).toEqual([
      [901, 'Active'],
      [902, 'Error'],
      [903, 'Pending'],
    ]);
    expect(mine[0]).toMatchObject({ url: expect.stringMatching(/^https:\/\//), size: 1191182336 });
  });

  it("refuses a client asking for someone else's uploads", async () => {
    expect((await call(api, 'iso', 'uploaded', client, { 'params[email]': 'other@example.com' })).body).toEqual({
      code: -1,
      message: 'Permission denied: customers may only list their own uploads',
    });
  });

  it("requires params[email] from employees; admins may list everyone's", async () => {
    expect((await call(api, 'iso', 'uploaded', staff, {})).body).toEqual({ code: -1, message: 'invalid argument email: required for employees' });
    expect(ids(await uploaded(staff, 'other@example.com'))).toEqual([904]);
    expect(ids(await uploaded(admin))).toEqual([901, 902, 903, 904]);
  });
});

describe('history', () => {
  it('records every operation on an image, oldest first', async () => {
    const { body } = await call(api, 'iso', 'upload', client, { 'params[url]': 'https://example.org/isos/rescue.iso' });
    const id = (body.data as Body).id as number;
    clock.advance(2 * STEP);
    await call(api, 'iso', 'update', client, { 'params[id]': id, 'params[description]': 'Rescue' });
    await call(api, 'iso', 'mount_iso', client, { id: 40211, iso: 'rescue.iso' });
    await call(api, 'iso', 'del', client, { 'params[id]': id, 'params[pending]': 1 });
    const entries = list((await call(api, 'iso', 'history', client, { id })).body, 'data');
    expect(entries.map((e) => [e.type, e.description])).toEqual([
      ['upload', 'Upload requested'],
      ['upload', 'Download started'],
      ['upload', 'ISO uploaded'],
      ['update', 'ISO updated'],
      ['mount', 'Mount requested'],
      ['delete', 'ISO deleted'],
    ]);
    const entryIds = entries.map((e) => e.id as number);
    expect(entryIds).toEqual([...entryIds].sort((a, b) => a - b));
    expect(Object.keys(entries[0] ?? {})).toEqual(['id', 'date', 'description', 'type', 'login', 'message', 'iso_name']);
    expect(entries[0]).toMatchObject({ date: '2025-03-01 12:00:00', login: 'client@example.com', iso_name: 'rescue.iso' });
  });

  it("answers with the seed's envelope and hides images the caller cannot see", async () => {
    const { body } = await call(api, 'iso', 'history', client, { id: 101 });
    expect(body).toMatchObject({ result: 'OK', action: 'history', module: 'iso' });
    expect(list(body, 'data')[0]).toMatchObject({ type: 'add', login: 'admin@hostkey.example' });
    expect((await call(api, 'iso', 'history', client, { id: 113 })).body).toEqual({ code: -1, message: 'ISO not found' });
    expect(list((await call(api, 'iso', 'history', admin, { id: 113 })).body, 'data')).not.toHaveLength(0);
  });
});

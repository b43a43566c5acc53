import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../main/local-api/server.js';
import { call, list, login, start } from './helpers.js';

let api: LocalApi;
let client: string;
let admin: string;

beforeAll(async () => {
  api = await start();
  client = await login(api, api.keys.client);
  admin = await login(api, api.keys.admin);
});
afterAll(() => api.close());

describe('eq.php', () => {
  it("update_servers refreshes and returns the token's server ids", async () => {
    const { body } = await call(api, 'eq', 'update_servers', client, {});
    expect(body).toEqual({ result: 'OK', action: 'update_servers', servers: [40211, 40212, 40213, 40214, 40215] });
  });

  it('list mixes bare ids, numeric strings and objects for the client', async () => {
    const servers = list((await call(api, 'eq', 'list', client, {})).body, 'servers');
    expect(servers).toEqual([
      40211,
      { id: 40212, status: 'active', hostname: 'db-fra-01', location: 'DE' },
      '40213',
      { id: 40214, status: 'pending', hostname: 'edge-hel-01', location: 'FI' },
      { id: 40215, status: 'active', hostname: 'gpu-ams-02.client.example', location: 'NL' },
    ]);
  });

  it('list shows staff every server', async () => {
    const servers = list((await call(api, 'eq', 'list', admin)).body, 'servers');
    // Five of the client, two of the other customer, two of the customer with a PIN.
    expect(servers).toHaveLength(9);
  });

  it('show puts the hostname in a `hostname` tag for some servers and `server_name` for others', async () => {
    const web = (await call(api, 'eq', 'show', client, { id: 40211 })).body;
    expect(web).toMatchObject({
      result: 'OK',
      server_data: { id: 40211, Condition_Component: 'rent', location: 'NL' },
      IP: [
        { ip: '185.70.104.21', main_ip: 1 },
        { ip: '10.10.4.21', main_ip: 0 },
      ],
    });
    expect(web.tags).toContainEqual({ tag: 'hostname', value: 'web-ams-01.client.example' });
    const db = (await call(api, 'eq', 'show', client, { id: 40212 })).body;
    expect(db.tags).toContainEqual({ tag: 'server_name', value: 'db-fra-01' });
    expect(list(db, 'tags').some((t) => t.tag === 'hostname')).toBe(false);
  });

  it('show reports every billing condition', async () => {
    const conditions = [];
    for (const id of [40211, 40213, 40214]) {
      const { body } = await call(api, 'eq', 'show', client, { id });
      conditions.push((body.server_data as { Condition_Component: string }).Condition_Component);
    }
    expect(conditions).toEqual(['rent', 'power_off', 'TT']);
  });

  it("refuses another customer's server to a client, shows it to staff", async () => {
    expect((await call(api, 'eq', 'show', client, { id: 50101 })).body).toEqual({ code: -1, message: 'Server not found' });
    expect((await call(api, 'eq', 'show', admin, { id: 50101 })).body).toMatchObject({ result: 'OK', server_data: { id: 50101 } });
  });

  it('validates the server id', async () => {
    expect((await call(api, 'eq', 'show', client)).body).toEqual({ code: -1, message: 'invalid argument id' });
    expect((await call(api, 'eq', 'show', client, { id: 'abc' })).body).toEqual({ code: -1, message: 'invalid argument id: must be a whole number' });
  });
});

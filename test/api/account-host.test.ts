/**
 * The login's `invapi` host switch, over real https: a local TLS server with a certificate from a
 * CA made for this run, trusted through the transport's dispatcher (an explicit CA, never a
 * disabled check), and test host names resolved to 127.0.0.1 by that dispatcher's lookup. The
 * client may move to the account's own host only when it is hostkey.com / hostkey.ru (or a
 * subdomain) over https; every refused switch keeps talking to the host it signed in to.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo, LookupFunction } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostkeyClient } from '../../main/api/client.js';
import { Transport } from '../../main/api/transport.js';
import { makeCertificates } from '../fixtures/tls.js';
import { KEY, recordingClock } from './canned-server.js';

const HAS_OPENSSL = spawnSync('openssl', ['version']).status === 0;
if (!HAS_OPENSSL) console.warn('[account-host] skipped: the openssl command is missing, so no test certificate can be made (CI installs it).');

/** Every name the certificate covers; all of them resolve to 127.0.0.1 here. */
const NAMES = ['api.hostkey.com', '*.hostkey.com', '*.hostkey.ru', 'evil.example.com', 'hostkey.com.evil.example'];

let dir: string;
let server: https.Server;
let port: number;
let ca: string;
/** The Host header of every request, in order. */
const hosts: string[] = [];
/** What login answers as the account's host. */
let invapi = '';

/** Every host name is this machine: the names stay in the URL, the TLS check and the Host header. */
const toLoopback: LookupFunction = (_hostname, options, callback) => {
  if (options.all) (callback as (err: null, addresses: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

beforeAll(async () => {
  if (!HAS_OPENSSL) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-tls-'));
  const tls = makeCertificates(dir, NAMES);
  ca = tls.ca;
  server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hosts.push(req.headers.host ?? '');
      const action = new URLSearchParams(body).get('action');
      const answer =
        action === 'login'
          ? { result: 'OK', token: 'tok-tls-0000000000000000000000', token_expire: Math.floor(Date.now() / 1000) + 3600, invapi }
          : { result: 'OK', action: 'history', module: 'iso', data: [] };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  if (!HAS_OPENSSL) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Signs in at https://api.hostkey.com:PORT with login naming `accountHost`, then reads once. */
async function signInWith(accountHost: string): Promise<{ baseUrl: string; hosts: string[] }> {
  invapi = accountHost.replace('PORT', String(port));
  hosts.length = 0;
  const time = recordingClock();
  const dispatcher = new Agent({ connect: { ca, lookup: toLoopback } });
  try {
    const transport = new Transport({ userAgent: 'ISO-Desk/test', clock: time.clock, dispatcher });
    const client = new HostkeyClient({ baseUrl: `https://api.hostkey.com:${port}`, credentials: { apiKey: KEY }, transport, clock: time.clock });
    await client.login();
    await client.history(1);
    return { baseUrl: client.baseUrl, hosts: [...hosts] };
  } finally {
    await dispatcher.close();
  }
}

describe.skipIf(!HAS_OPENSSL)('the account host from login (invapi), over https', () => {
  it.each(['invapi.hostkey.com:PORT', 'https://invapi.hostkey.com:PORT', 'invapi.hostkey.ru:PORT'])('follows %s, a HOSTKEY host', async (named) => {
    const host = named.replace('https://', '').replace('PORT', String(port));
    const seen = await signInWith(named);
    expect(seen.hosts).toEqual([`api.hostkey.com:${port}`, host]);
    expect(seen.baseUrl).toBe(`https://${host}`);
  });

  it.each([
    ['another domain', 'evil.example.com:PORT'],
    ['a look-alike that ends elsewhere', 'hostkey.com.evil.example:PORT'],
    ['plain http, even to a HOSTKEY host', 'http://invapi.hostkey.com:PORT'],
  ])('stays at the sign-in host when login names %s', async (_what, named) => {
    const seen = await signInWith(named);
    expect(seen.hosts).toEqual([`api.hostkey.com:${port}`, `api.hostkey.com:${port}`]);
    expect(seen.baseUrl).toBe(`https://api.hostkey.com:${port}`);
  });

  it('checks the certificate: a server outside the trusted CA is refused, not followed', async () => {
    invapi = '';
    const transport = new Transport({ userAgent: 'ISO-Desk/test', clock: recordingClock().clock, dispatcher: new Agent({ connect: { lookup: toLoopback } }) });
    const client = new HostkeyClient({ baseUrl: `https://api.hostkey.com:${port}`, credentials: { apiKey: KEY }, transport });
    await expect(client.login()).rejects.toMatchObject({ kind: 'transient', message: expect.stringMatching(/certificate/i) });
  });
});

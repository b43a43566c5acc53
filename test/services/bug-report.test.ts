/**
 * The report a user attaches to a bug (`isodesk doctor --report FILE`) and the unexpected-answer
 * log it is made from never hold a secret. A HOSTKEY stand-in answers every read-only call with
 * the API key, the token, a PIN, a console URL, an email and an ISO URL in every place an answer
 * can hold them — as values, as object keys, in unknown fields, in a status word, in an error
 * message — and in shapes ISO Desk does not expect, so that every one of them is logged. None of
 * them may reach the file; the findings that make the report useful must.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isodeskInProcess } from '../support/cli-in-process.js';
import { openCache } from '../../main/cache/index.js';
import { cannedServer } from '../api/canned-server.js';
import { tempDir } from './harness.js';

const KEY = 'hk-live-9f8e7d6c5b4a39281706f5e4';
const TOKEN = 'a8f5f167f44f4964e6c998dee827110c';
const PIN = '4821';
const EMAIL = 'jane.doe@example.com';
const CONSOLE_URL = 'http://rcnl1.hostkey.com:32800/vnc.html?host=185.70.104.21&port=32800&autoconnect=true&password=Zq81kXw';
const ISO_URL = 'https://mirror.example.org/private/customer-build.iso';
const FORBIDDEN = [KEY, TOKEN, PIN, EMAIL, 'jane.doe', CONSOLE_URL, 'rcnl1.hostkey.com', 'Zq81kXw', ISO_URL, 'mirror.example.org', 'customer-build'];

let api: Awaited<ReturnType<typeof cannedServer>>;

function answer(action: string, fields: Record<string, string>): unknown {
  const expire = Math.floor(Date.now() / 1000) + 3600;
  switch (action) {
    case 'login':
      // Nested, with secrets in unknown fields and as keys.
      return { result: { token: TOKEN, servers: ['7731'], role: 'Customer', token_expire: expire, pin: PIN }, [EMAIL]: 1, echo: KEY };
    case 'info':
      if (!fields.token) return { code: -2, message: 'Invalid hash' };
      return {
        result: {
          token: TOKEN,
          role: 'Customer',
          permissions: ['eq_list', 'eq_show'],
          servers: ['7731'],
          email: EMAIL,
          customer_id: '55',
          token_expire: expire,
          console: CONSOLE_URL,
          [TOKEN]: true,
          [PIN]: PIN,
          [EMAIL]: KEY,
        },
        debug_key: KEY,
      };
    case 'list':
      return { result: 'OK', servers: [{ id: '7731', hostname: EMAIL, status: 'active', location: 'NL', console_url: CONSOLE_URL }] };
    case 'show':
      return {
        result: 'OK',
        server_data: { Condition_Component: `Frozen by ${EMAIL}` },
        IP: [{ ip: '185.70.104.21', main_ip: 0 }],
        tags: [{ tag: 'server_name', value: EMAIL }],
        novnc: CONSOLE_URL,
      };
    case 'list_iso':
      return {
        result: 'OK',
        action: 'list_iso',
        module: 'iso',
        server_id: 7731,
        iso_images: [{ id: 1, iso_name: 'a.iso', description: `from ${ISO_URL}`, size: 1, created_at: 'x', url: ISO_URL, owner: EMAIL }],
      };
    case 'uploaded':
      return { result: 'OK', data: [{ id: 2, iso_name: 'b.iso', status: 'Scanning', url: ISO_URL, private: EMAIL, pin: PIN, [ISO_URL]: 1 }] };
    case 'history':
      return { code: -1, message: `wrong pin ${PIN} for ${EMAIL}; key ${KEY}; see ${CONSOLE_URL} and ${ISO_URL}` };
    default:
      return { code: -1, message: 'invalid argument action' };
  }
}

beforeAll(async () => {
  api = await cannedServer((req) => ({ json: answer(req.fields.action ?? '', req.fields) }));
});
afterAll(async () => {
  await api?.close();
});

function cli(args: string[], dataDir: string, input = '') {
  return isodeskInProcess(args, { dataDir, apiUrl: api.url, input });
}

describe('the bug report', () => {
  it('carries the findings and shapes, and no key, token, PIN, console URL, email or ISO URL', async () => {
    const dataDir = tempDir();
    const login = await cli(['login', '--key', '-', '--profile', EMAIL], dataDir, `${KEY}\n`);
    expect(login.code, login.stderr).toBe(0);
    const file = path.join(dataDir, 'report.txt');
    const doctor = await cli(['doctor', '--profile', EMAIL, '--report', file], dataDir);
    // history was refused with a PIN answer ("wrong pin", a refused credential: exit 3); the check
    // still ran every other call and wrote the report.
    expect(doctor.code, doctor.stderr).toBe(3);
    const text = fs.readFileSync(file, 'utf8');

    for (const secret of FORBIDDEN) expect(text, `the report holds ${secret}`).not.toContain(secret);
    // What makes it worth attaching.
    expect(text).toContain('upload status "Scanning" is not known');
    expect(text).toContain('the token is inside "result" (nested login)');
    expect(text).toMatch(/unknown field "result\.console"/);
    expect(text).toMatch(/server_data\.Condition_Component is a text that is not shown/);
    expect(text).toMatch(/FAILED\s+iso\.php history \(ISO 2\)/);
    // The refusal mentioning a PIN is kept as a finding for the PIN decision, never with its words.
    expect(text).toContain('HOSTKEY refused history with a message about a PIN');
    expect(text).toMatch(/shape: \{result: \{<number>: string, token: string, role: string, permissions: \[string\]/);
    expect(text).toContain('<key>');
    expect(fs.statSync(file).mode & 0o077).toBe(0);

    // The log itself, in the data folder, holds shapes only.
    const cache = openCache(path.join(dataDir, 'isodesk.db'), { readonly: true });
    try {
      const stored = JSON.stringify(cache.answers.list());
      for (const secret of FORBIDDEN) expect(stored, `the log holds ${secret}`).not.toContain(secret);
      expect(cache.answers.count()).toBeGreaterThanOrEqual(6);
    } finally {
      cache.close();
    }
  });
});

/**
 * The client's eq.php power, boot device and console calls against a scripted server: what goes
 * on the wire (field names spelled here from shared/docs/hostkey-power-console.md), that state
 * changes are never retried, how check results are decoded, and how PIN answers are told apart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { powerStateOf } from '../../main/api/check-result.js';
import { cannedClient, failure, TOKEN, type Reply, type Seen } from './canned-server.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function client(reply: (req: Seen, n: number) => Reply, opts: { timeoutMs?: number } = {}) {
  const canned = await cannedClient(reply, opts);
  closers.push(canned.server.close);
  return canned;
}

const CALLBACK = 'abcdefghijklmnopqrstuvwxyz012345';

describe('power and boot device requests', () => {
  it('send action, token and id flat to eq.php, media for boot_dev, and pin only with a PIN', async () => {
    const { client: c, server } = await client((req) => ({ json: { result: 'OK', action: req.fields.action, callback: CALLBACK } }));
    expect(await c.power(40211, 'reboot')).toBe(CALLBACK);
    expect(await c.power(40211, 'on', '4821')).toBe(CALLBACK);
    expect(await c.bootDevice(40211, 'cd', '4821')).toBe(CALLBACK);
    expect(await c.power(40211, 'status', '4821')).toBe(CALLBACK);
    expect(server.seen.map((s) => [s.path, s.fields])).toEqual([
      ['/eq.php', { action: 'reboot', id: '40211', token: TOKEN }],
      ['/eq.php', { action: 'on', id: '40211', pin: '4821', token: TOKEN }],
      ['/eq.php', { action: 'boot_dev', id: '40211', media: 'cd', pin: '4821', token: TOKEN }],
      // status is a read: the PIN goes only where HOSTKEY asks for it.
      ['/eq.php', { action: 'status', id: '40211', token: TOKEN }],
    ]);
  });

  it('never sends a reboot twice: a 5xx is refused, a timeout is "outcome unknown"; a status read is retried', async () => {
    const { client: c, server } = await client((req, n) =>
      n === 1 || req.fields.action === 'reboot' ? { status: 503 } : { json: { result: 'OK', callback: CALLBACK } },
    );
    expect(await c.power(1, 'status')).toBe(CALLBACK);
    expect(server.seen).toHaveLength(2);
    const refused = await failure(c.power(1, 'reboot'));
    expect(refused.kind).toBe('transient');
    expect(server.seen.filter((s) => s.fields.action === 'reboot')).toHaveLength(1);

    const { client: slow, server: hung } = await client(() => ({ hang: true }), { timeoutMs: 200 });
    const unknown = await failure(slow.bootDevice(1, 'disk'));
    expect(unknown.kind).toBe('unknown_outcome');
    expect(hung.seen).toHaveLength(1);
  });

  it('tells "PIN required", "wrong PIN" and "locked" apart, and learns which actions want the PIN', async () => {
    const answers: Reply[] = [
      { json: { code: -1, message: 'PIN code required for this operation' } },
      { json: { result: 'OK', callback: CALLBACK } },
      { json: { code: -1, message: 'Invalid PIN code, 2 attempts left' } },
      { json: { code: -1, message: 'PIN code is locked after 3 wrong attempts. Contact support to reset it.' } },
    ];
    const { client: c, server } = await client((_req, n) => answers[n - 1]!);
    const required = await failure(c.power(7, 'status', '4821'));
    expect(required).toMatchObject({ kind: 'pin_required', message: 'PIN code required for this operation' });
    // HOSTKEY asked on status: from now on status goes with the PIN.
    expect(await c.power(7, 'status', '4821')).toBe(CALLBACK);
    expect(server.seen[1]!.fields.pin).toBe('4821');
    expect(await failure(c.power(7, 'off', '0000'))).toMatchObject({ kind: 'pin_required', message: 'Invalid PIN code, 2 attempts left' });
    expect(await failure(c.power(7, 'off', '0000'))).toMatchObject({ kind: 'pin_locked' });
  });
});

describe('check results', () => {
  it('decode scope, context and debug whether text or objects, ids as text or numbers', async () => {
    const answers: Reply[] = [
      { json: { result: 'OK', scope: 'VM is up now', context: { action: 'status', id: 'SERVER_ID', location: 'NL' }, debug: null, key: 'a' } },
      {
        json: { result: 'OK', action: 'check', scope: { message: 'deploy done', id: 3 }, context: { action: 'on', id: 25250 }, debug: { out: 'ok' }, key: 'b' },
      },
      { json: { result: 'OK', scope: 'Chassis Power is on', context: 'not an object', debug: 'Chassis Power is on' } },
    ];
    const { client: c } = await client((_req, n) => answers[n - 1]!);
    expect(await c.checkTask('a')).toMatchObject({
      state: 'ok',
      result: { scope: 'VM is up now', context: { action: 'status', id: null, location: 'NL' }, debug: null },
    });
    expect(await c.checkTask('b')).toMatchObject({
      state: 'ok',
      result: { scope: 'deploy done', context: { action: 'on', id: 25250, location: null }, debug: '{"out":"ok"}' },
    });
    expect(await c.checkTask('c')).toMatchObject({ result: { scope: 'Chassis Power is on', context: { action: null, id: null, location: null } } });
  });

  it('read the power state from HOSTKEY\u2019s words', () => {
    expect(powerStateOf('Chassis Power is on')).toBe('on');
    expect(powerStateOf('VM is up now')).toBe('on');
    expect(powerStateOf('Chassis Power is off')).toBe('off');
    expect(powerStateOf('VM is down now')).toBe('off');
    expect(powerStateOf('Chassis Power is on, the server is rebooting')).toBe('rebooting');
    expect(powerStateOf('Post is on')).toBe('unknown');
    expect(powerStateOf(null)).toBe('unknown');
  });
});

describe('console', () => {
  it('takes the address answered at once or through the check, and keeps it out of messages', async () => {
    const url = 'http://rcnl1.hostkey.com:32800/vnc.html?host=10.0.0.1&port=32800&autoconnect=true&password=s3cr3tpassw0rd';
    const answers: Reply[] = [
      { json: { result: 'OK', scope: url, context: { action: 'novnc', id: '25250', location: 'NL' }, debug: 'debug', key: 'k' } },
      { json: { result: 'OK', action: 'novnc', callback: CALLBACK } },
      { json: { result: 'OK', action: 'check', scope: url, context: { action: 'novnc', id: 25250 }, debug: 'debug', key: CALLBACK } },
      { json: { code: -1, message: `console failed for ${url}` } },
    ];
    const { client: c, server, lines } = await client((_req, n) => answers[n - 1]!);
    expect(await c.openConsole(25250, '4821')).toEqual({ url });
    expect(server.seen[0]!.fields).toEqual({ action: 'novnc', id: '25250', pin: '4821', token: TOKEN });
    expect(await c.openConsole(25250)).toEqual({ key: CALLBACK });
    const check = await c.checkTask(CALLBACK);
    expect(check.state === 'ok' && c.consoleUrlFrom(check.result)).toBe(url);
    const err = await failure(c.stopConsole(25250));
    expect(err.message).not.toContain('s3cr3tpassw0rd');
    expect(lines.join('\n')).not.toContain('s3cr3tpassw0rd');
  });
});

/**
 * What the HOSTKEY client adds to reading list_iso: the client's whole path (form, transport,
 * envelope, validation), as the app bundles it, against a bare undici POST and JSON.parse of the
 * same answer from the same loopback server, for the 45 ISOs of the demo catalog and for 100,000.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { startLocalApi } from '../../main/local-api/server.js';
import { builtClient, replayProxy } from './setup.js';
import { interleaved, median } from './stats.js';
import { defineBench } from './types.js';

const SERVER_ID = 1;
/**
 * Small reads of each path before the measured ones: enough for V8 to have optimised both (it
 * does so after some hundreds of calls), so the figure is the client's steady cost, not how long
 * its larger code takes to be compiled. A large read warms its loops up within itself.
 */
const WARM_UP = { small: 300, large: 3 };

/** The local API's own list_iso answer for an account with `isoCount` synthetic ISOs. */
async function capturedListIso(isoCount: number): Promise<Buffer> {
  const { HostkeyClient, Transport } = await builtClient();
  const api = await startLocalApi({ isoCount, quiet: true });
  const proxy = await replayProxy(api.url);
  try {
    const client = new HostkeyClient({
      baseUrl: proxy.url,
      credentials: { apiKey: api.keys.client },
      transport: new Transport({ userAgent: 'isodesk-bench' }),
    });
    await client.login();
    const [server] = await client.listServers();
    await client.listIso(server!.id);
    if (!proxy.captured) throw new Error('no list_iso answer captured');
    return proxy.captured;
  } finally {
    await proxy.close();
    await api.close();
  }
}

/** A loopback server answering every POST with `body`. */
async function serve(body: Buffer): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
      res.end(body);
    });
  });
  // Idle connections stay open between rounds, however slow the machine: a closed one would fail a read.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Median ms per read through the client and bare, `rounds` of each, interleaved. */
async function compare(body: Buffer, rounds: number, warmUp: number): Promise<{ value: number; baseline: number }> {
  const { HostkeyClient, Transport } = await builtClient();
  const server = await serve(body);
  try {
    const client = new HostkeyClient({
      baseUrl: server.url,
      credentials: { token: 'bench-token', tokenExpire: Math.floor(Date.now() / 1000) + 86_400 },
      transport: new Transport({ userAgent: 'isodesk-bench' }),
      // As in the app, every answer is inspected (main/api/answers.ts); this one has nothing to report.
      observe: () => undefined,
    });
    const form = new URLSearchParams({ action: 'list_iso', id: String(SERVER_ID), token: 'bench-token' }).toString();
    const bare = async (): Promise<unknown> => {
      const res = await request(`${server.url}/iso.php`, {
        method: 'POST',
        body: form,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      });
      return JSON.parse(await res.body.text()) as unknown;
    };
    // Warm both paths up (connections, JIT) before measuring.
    for (let i = 0; i < warmUp; i++) await Promise.all([client.listIso(SERVER_ID), bare()]);
    const times = await interleaved(rounds, () => client.listIso(SERVER_ID), bare);
    return { value: median(times.a), baseline: median(times.b) };
  } finally {
    await server.close();
  }
}

export const clientBench = defineBench({
  name: 'client',
  figures: {
    small: {
      label: 'list_iso read through the client, 45 ISOs (ms, median)',
      baseline: 'bare undici POST + JSON.parse of the same answer',
      target: { ratio: 1.2 },
    },
    large: {
      label: '100k list_iso fetch + decode + validate (ms, median)',
      baseline: 'bare undici POST + JSON.parse of the same answer',
      target: { ratio: 1.3 },
    },
  },
  async run({ quick, log }) {
    // The small read is measured before the large answer is made: otherwise it shares its rounds
    // with the collection of the 100k catalog's garbage, which the app's main thread never holds
    // (a catalog is decoded in a worker, main/sync).
    const small = await capturedListIso(0);
    // A read takes a few tenths of a millisecond, so many rounds cost little and steady the median.
    const smallFigure = await compare(small, quick ? 50 : 1_500, WARM_UP.small);
    const large = await capturedListIso(quick ? 2_000 : 100_000);
    log(`list_iso answers: ${small.length} bytes and ${(large.length / 1048576).toFixed(1)} MiB`);
    return { small: smallFigure, large: await compare(large, quick ? 3 : 7, WARM_UP.large) };
  },
});

/**
 * Sniffing over real HTTPS: the local file host (main/local-api/files.ts) serves the sample
 * images on 127.0.0.1 with a certificate made for this run, trusted through the explicit CA
 * option. Checks what goes over the wire: range requests, the 64 KiB stop on a server without
 * range support, redirects, the time box and certificate checking.
 */
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFileHost, type FileHost } from '../../main/local-api/files.js';
import { inspectFile } from '../../main/services/file-inspection.js';
import { HEAD_BYTES } from '../../main/sniff/index.js';
import { buildSampleImages, type SampleImages } from '../fixtures/images.js';
import { makeCertificates, type TestCertificates } from '../fixtures/tls.js';

let dir: string;
let images: SampleImages;
let certs: TestCertificates;
let host: FileHost;
let noRanges: FileHost;
let stalling: https.Server;
let stallingUrl: string;

const userAgent = 'isodesk-test';
const inspect = (url: string, timeoutMs?: number) => inspectFile(url, { userAgent, ca: certs.ca, timeoutMs });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-sniff-http-'));
  images = buildSampleImages(path.join(dir, 'files'), { large: true });
  certs = makeCertificates(path.join(dir, 'tls'));
  const tls = { key: certs.key, cert: certs.cert };
  host = await startFileHost({ root: images.dir, tls, redirects: { '/latest.iso': '/hybrid.iso', '/insecure.iso': 'http://127.0.0.1:9/bios.iso' } });
  noRanges = await startFileHost({ root: images.dir, tls, ranges: false });
  // Accepts connections and never answers.
  stalling = https.createServer(tls, () => undefined);
  await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
  stallingUrl = `https://127.0.0.1:${(stalling.address() as AddressInfo).port}`;
});

afterAll(async () => {
  stalling.closeAllConnections();
  await Promise.all([host?.close(), noRanges?.close(), new Promise((r) => stalling.close(r))]);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('over https with range requests', () => {
  it('reads 64 KiB and the boot catalog sector with two range requests', async () => {
    const before = host.requests.length;
    const { image } = await inspect(`${host.url}/hybrid.iso`);
    expect(image).toMatchObject({ kind: 'iso', boot: 'both', hybrid: true, ranges: true, file_size: fs.statSync(images.hybrid).size });
    expect(image!.bytes_read).toBe(HEAD_BYTES + 2048);
    const sniffs = host.requests.slice(before).filter((r) => r.path === '/hybrid.iso');
    expect(sniffs.map((r) => [r.method, r.status, r.range])).toEqual([
      ['GET', 206, `bytes=0-${HEAD_BYTES - 1}`],
      ['GET', 206, expect.stringMatching(/^bytes=\d+-\d+$/)],
    ]);
  });

  it('follows redirects on https and names the file it lands on', async () => {
    const { image } = await inspect(`${host.url}/latest.iso`);
    expect(image).toMatchObject({ kind: 'iso', volume_label: 'HYBRID_24_04' });
  });

  it('refuses to follow a redirect to plain http', async () => {
    const { image, warnings } = await inspect(`${host.url}/insecure.iso`);
    expect(image).toBeNull();
    expect(warnings).toEqual([expect.stringMatching(/could not read the start of the file \(the server redirects to an address that is not allowed/)]);
  });

  it('reports the server refusing the file', async () => {
    const { image, warnings } = await inspect(`${host.url}/missing.iso`);
    expect(image).toBeNull();
    expect(warnings).toEqual([expect.stringMatching(/HTTP 404/)]);
  });

  it('sees a download page served at an .iso address', async () => {
    fs.copyFileSync(images.html, path.join(images.dir, 'page-at.iso'));
    const { image } = await inspect(`${host.url}/page-at.iso`);
    expect(image).toMatchObject({ kind: 'html', warnings: [expect.stringMatching(/web page/)] });
  });
});

describe('a server without range support', () => {
  it('reads at most 64 KiB of the whole-file answer, then closes the connection', async () => {
    const before = noRanges.requests.length;
    const { image } = await inspect(`${noRanges.url}/large.iso`);
    expect(image).toMatchObject({ kind: 'iso', volume_label: 'LARGE', boot: 'unknown', ranges: false, bytes_read: HEAD_BYTES });
    expect(image!.file_size).toBe(fs.statSync(images.large!).size);
    const served = noRanges.requests.slice(before).filter((r) => r.path === '/large.iso');
    expect(served).toHaveLength(1);
    expect(served[0]!.status).toBe(200);
    // The host hears the client leave a moment after the client is done: wait for it.
    await expect.poll(() => served[0]!.cutShort).toBe(true);
    // The host stopped well short of the 24 MiB file (what it sent sat in socket buffers when the client left).
    expect(served[0]!.bytesSent).toBeLessThan(fs.statSync(images.large!).size / 2);
  });
});

describe('limits', () => {
  it('gives up after the time box, with a warning instead of an error', async () => {
    const started = Date.now();
    const { image, checksum, warnings } = await inspect(`${stallingUrl}/slow.iso`, 400);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(image).toBeNull();
    expect(checksum?.sha256).toBeNull();
    expect(warnings).toEqual([expect.stringMatching(/did not answer in time/)]);
  });

  it('never trusts a certificate it was not told to trust', async () => {
    const { image, warnings } = await inspectFile(`${host.url}/bios.iso`, { userAgent });
    expect(image).toBeNull();
    expect(warnings).toEqual([expect.stringMatching(/certificate is not trusted/)]);
  });

  it('sends nothing to plain http or credential-bearing links', async () => {
    const before = host.requests.length;
    expect(await inspect(`${host.url.replace('https:', 'http:')}/bios.iso`)).toEqual({ image: null, checksum: null, warnings: [] });
    expect(await inspect(`${host.url.replace('https://', 'https://user:pw@')}/bios.iso`)).toEqual({ image: null, checksum: null, warnings: [] });
    expect(host.requests.length).toBe(before);
  });
});

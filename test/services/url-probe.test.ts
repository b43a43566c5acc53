/**
 * The upload URL check against real servers on 127.0.0.1: an https one with a certificate made
 * for this run (the probe trusts it through its dispatcher) and a plain http one that must never
 * be contacted. Each server logs what reached it, so "not sent" is checked, not assumed.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeUrl, urlProblems, withoutCredentials } from '../../main/services/url-probe.js';
import { loopbackCertificate } from '../support/tls.js';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
}

const certificate = loopbackCertificate();
const skip = 'skip' in certificate ? certificate.skip : null;
if (skip) console.warn(`url-probe over https: skipped, ${skip}. Install openssl to run these.`);

let secure: https.Server;
let plain: http.Server;
let secureBase = '';
let plainBase = '';
let agent: Agent;
const secureSeen: Seen[] = [];
const plainSeen: Seen[] = [];

function log(into: Seen[], req: http.IncomingMessage): void {
  into.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
}

function probe(url: string) {
  return probeUrl(url, { userAgent: 't', dispatcher: agent });
}

beforeAll(async () => {
  plain = http.createServer((req, res) => {
    log(plainSeen, req);
    res.writeHead(200, { 'content-type': 'application/x-iso9660-image', 'content-length': '10' }).end();
  });
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  plainBase = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  if (skip || 'skip' in certificate) return;
  agent = new Agent({ connect: { ca: certificate.cert } });
  secure = https.createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    log(secureSeen, req);
    const routes: Record<string, () => void> = {
      '/old/debian.iso': () => res.writeHead(302, { location: '/mirror/debian-12.iso' }).end(),
      '/mirror/debian-12.iso': () => res.writeHead(200, { 'content-type': 'application/x-iso9660-image', 'content-length': '658505728' }).end(),
      '/page.iso': () => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(),
      '/download?id=7': () => res.writeHead(200, { 'content-disposition': 'attachment; filename="rocky-9.iso"', 'content-length': '10' }).end(),
      '/odd-name': () => res.writeHead(200, { 'content-disposition': 'attachment; filename="bad%E0%A4%A.iso"' }).end(),
      '/to-plain.iso': () => res.writeHead(301, { location: `${plainBase}/plain.iso` }).end(),
      '/to-credentials.iso': () => res.writeHead(302, { location: `${secureBase.replace('https://', 'https://mirror:hunter2@')}/mirror/debian-12.iso` }).end(),
    };
    (routes[req.url ?? ''] ?? (() => res.writeHead(404).end()))();
  });
  await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r));
  secureBase = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => plain.close(() => r()));
  if (secure) await new Promise<void>((r) => secure.close(() => r()));
  await agent?.close();
});

describe('urlProblems', () => {
  it('accepts an https link to a file', () => {
    expect(urlProblems('https://releases.example.org/ubuntu-24.04.iso')).toEqual([]);
  });
  it('refuses http, malformed, credential-bearing and file-less URLs with reasons', () => {
    expect(urlProblems('http://example.org/a.iso')[0]).toMatch(/only downloads ISOs over https/);
    expect(urlProblems('example.org/a.iso')[0]).toMatch(/not a complete URL/);
    expect(urlProblems('https://user:pw@example.org/a.iso').join(' ')).toMatch(/user name or password/);
    expect(urlProblems('https://example.org/').join(' ')).toMatch(/does not name a file/);
  });
  it('shows credentials in a URL only as ***', () => {
    expect(withoutCredentials('https://user:pw@example.org/a.iso')).toBe('https://***@example.org/a.iso');
    expect(withoutCredentials('https://token@example.org/a.iso')).toBe('https://***@example.org/a.iso');
    expect(withoutCredentials('user:pw@example.org/a.iso')).toBe('***@example.org/a.iso');
    expect(withoutCredentials('https://example.org/a.iso')).toBe('https://example.org/a.iso');
  });
});

describe.skipIf(skip !== null)('probeUrl over https', () => {
  it('follows redirects with HEAD and reports size, type and the final URL', async () => {
    secureSeen.length = 0;
    const answer = await probe(`${secureBase}/old/debian.iso`);
    expect(answer.final_url).toBe(`${secureBase}/mirror/debian-12.iso`);
    expect(answer.size).toBe(658505728);
    expect(answer.content_type).toBe('application/x-iso9660-image');
    expect(answer.file_name).toBe('debian-12.iso');
    expect(answer.problems).toEqual([]);
    expect(secureSeen.map((s) => `${s.method} ${s.url}`)).toEqual(['HEAD /old/debian.iso', 'HEAD /mirror/debian-12.iso']);
  });

  it('warns when the link is a web page, and names files from Content-Disposition', async () => {
    expect((await probe(`${secureBase}/page.iso`)).warnings.join(' ')).toMatch(/web page/);
    expect((await probe(`${secureBase}/download?id=7`)).file_name).toBe('rocky-9.iso');
    const odd = await probe(`${secureBase}/odd-name`);
    expect(odd.file_name).toBe('bad%E0%A4%A.iso');
    expect(odd.warnings.join(' ')).not.toMatch(/could not check/);
  });

  it('reports a redirect to plain http as a problem and does not follow it', async () => {
    plainSeen.length = 0;
    const answer = await probe(`${secureBase}/to-plain.iso`);
    expect(answer.problems).toEqual([`The link redirects to a plain http address (${plainBase}/plain.iso); HOSTKEY only downloads over https.`]);
    expect(answer.final_url).toBe(`${plainBase}/plain.iso`);
    expect(answer.size).toBeNull();
    expect(plainSeen).toEqual([]);
  });

  it('never sends credentials written into a URL, nor those a redirect adds', async () => {
    secureSeen.length = 0;
    const given = await probe(`${secureBase.replace('https://', 'https://alice:s3cret@')}/mirror/debian-12.iso`);
    expect(given.problems.join(' ')).toMatch(/user name or password/);
    expect(given.url).toBe(`${secureBase.replace('https://', 'https://***@')}/mirror/debian-12.iso`);
    expect(JSON.stringify(given)).not.toContain('s3cret');
    expect(secureSeen).toEqual([]);

    const redirected = await probe(`${secureBase}/to-credentials.iso`);
    expect(redirected.final_url).toBe(`${secureBase}/mirror/debian-12.iso`);
    expect(JSON.stringify(redirected)).not.toContain('hunter2');
    expect(secureSeen.map((s) => s.url)).toEqual(['/to-credentials.iso', '/mirror/debian-12.iso']);
    expect(secureSeen.every((s) => s.authorization === undefined)).toBe(true);
  });
});

describe('probeUrl without a usable server', () => {
  it('does not contact a plain http link at all', async () => {
    plainSeen.length = 0;
    const answer = await probeUrl(`${plainBase}/plain.iso`, { userAgent: 't' });
    expect(answer.problems[0]).toMatch(/only downloads ISOs over https/);
    expect(answer.final_url).toBeNull();
    expect(plainSeen).toEqual([]);
  });

  it('warns, without blocking, when the file cannot be checked', async () => {
    const answer = await probeUrl('https://127.0.0.1:9/a.iso', { userAgent: 't' });
    expect(answer.problems).toEqual([]);
    expect(answer.warnings[0]).toMatch(/could not check the file/);
  });
});

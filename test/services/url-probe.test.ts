import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeUrl, urlProblems } from '../../main/services/url-probe.js';

let server: http.Server;
let base = '';
const methods: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    methods.push(req.method ?? '');
    if (req.url === '/old/debian.iso') {
      res.writeHead(302, { location: '/mirror/debian-12.iso' }).end();
    } else if (req.url === '/mirror/debian-12.iso') {
      res.writeHead(200, { 'content-type': 'application/x-iso9660-image', 'content-length': '658505728' }).end();
    } else if (req.url === '/page.iso') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end();
    } else if (req.url === '/download?id=7') {
      res.writeHead(200, { 'content-disposition': 'attachment; filename="rocky-9.iso"', 'content-length': '10' }).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

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
});

describe('probeUrl', () => {
  it('follows redirects with HEAD and reports size, type and the final URL', async () => {
    const probe = await probeUrl(`${base}/old/debian.iso`, { userAgent: 't' });
    expect(probe.final_url).toBe(`${base}/mirror/debian-12.iso`);
    expect(probe.size).toBe(658505728);
    expect(probe.content_type).toBe('application/x-iso9660-image');
    expect(probe.file_name).toBe('debian-12.iso');
    expect(probe.problems[0]).toMatch(/https/);
    expect(methods.every((m) => m === 'HEAD')).toBe(true);
  });

  it('warns when the link is a web page, and names files from Content-Disposition', async () => {
    expect((await probeUrl(`${base}/page.iso`, { userAgent: 't' })).warnings.join(' ')).toMatch(/web page/);
    expect((await probeUrl(`${base}/download?id=7`, { userAgent: 't' })).file_name).toBe('rocky-9.iso');
  });

  it('warns, without blocking, when the file cannot be checked', async () => {
    const probe = await probeUrl('https://127.0.0.1:9/a.iso', { userAgent: 't' });
    expect(probe.problems).toEqual([]);
    expect(probe.warnings[0]).toMatch(/could not check the file/);
  });
});

/**
 * `isodesk upload` end to end: real child processes against the local HOSTKEY API and a
 * publisher's https mirror (the local file host) whose certificate the CLI trusts through
 * NODE_EXTRA_CA_CERTS, as a user behind a corporate CA would. --dry-run reports and sends nothing;
 * a repeat upload asks on a terminal, and in scripts sends nothing and exits 8 unless --yes.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache } from '../../main/cache/index.js';
import { CACHE_FILE } from '../../main/app.js';
import { startLocalApi, type LocalApi } from '../../main/local-api/server.js';
import { PUBLISHED, startPublisher, type Publisher } from '../fixtures/publisher.js';
import { cliBundle, signedInFolder, spawnRun, tempFolder, type Run } from './helpers.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

let dir: string;
let bundle: string;
let api: LocalApi;
let publisher: Publisher;
let dataDir: string;

function run(file: string, args: string[], input?: string): Promise<Run> {
  // UTC, so that the dates printed are the ones the images carry.
  const env = { NODE_EXTRA_CA_CERTS: publisher.certs.caFile, TZ: 'UTC' };
  return spawnRun(file, args, { dataDir, apiUrl: api.url, env, ...(input !== undefined && { input }) });
}

const isodesk = (args: string[], input?: string) => run(process.execPath, [bundle, ...args], input);

/** Runs the CLI on a terminal (util-linux `script`), typing `answer` into it. */
function onTerminal(args: string[], answer: string): Promise<Run> {
  const command = [process.execPath, bundle, ...args].map((a) => `'${a}'`).join(' ');
  return run('script', ['-qec', command, '/dev/null'], answer);
}

async function uploadedNames(): Promise<string[]> {
  const run = await isodesk(['uploaded', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { items: { iso_name: string }[] }).items.map((i) => i.iso_name);
}

beforeAll(async () => {
  dir = tempFolder('isodesk-cli-upload-');
  [bundle, api, publisher] = await Promise.all([
    cliBundle(),
    startLocalApi({ quiet: true, taskDelayMs: 300, uploadStepMs: 200 }),
    startPublisher(path.join(dir, 'publisher')),
  ]);
  dataDir = await signedInFolder(api.url, api.keys.client);
});

afterAll(async () => {
  await Promise.all([api?.close(), publisher?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// Each test runs several CLI processes, each a fresh Node start: slow on a busy shared machine.
const SLOW = { timeout: 90_000 };

describe('isodesk upload --dry-run', SLOW, () => {
  it('explains the checks, the dry run and the repeat rule in --help', async () => {
    const help = await isodesk(['upload', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--dry-run');
    expect(help.stdout).toMatch(/-y, --yes +Upload even if the same file is already uploaded or uploading/);
    expect(help.stdout).toMatch(/without a terminal \(scripts\) it sends nothing and exits 8, unless --yes is given/);
    expect(help.stdout).toContain('sha256sum /dev/sr0');
    expect((await isodesk(['--help'])).stdout).toMatch(/^ {2}8 +upload sent nothing: the same file is already uploaded or uploading/m);
  });

  it('prints what it learned about a good ISO and sends nothing', async () => {
    const url = publisher.url(PUBLISHED.ubuntu);
    const run = await isodesk(['upload', '--dry-run', url]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const sha = publisher.sha256[PUBLISHED.ubuntu]!;
    expect(run.stdout.split('\n')).toEqual([
      `Checked ${url}: file example-24.04-live-server-amd64.iso, size 1.0 MiB, type application/x-iso9660-image`,
      '  image: ISO 9660, label "HYBRID_24_04", created 2024-10-12 09:30, volume 1.0 MiB',
      '  boot: BIOS and UEFI; isohybrid (can also be written to a USB stick)',
      `  sha256: ${sha}`,
      `    expected, as published in ${publisher.url('/releases/24.04/SHA256SUMS')} (ISO Desk does not download the file, so it has not verified it)`,
      '    to verify on the server with the ISO mounted, compare with: sha256sum /dev/sr0',
      'Dry run: nothing was sent to HOSTKEY.',
      '',
    ]);
    expect(await uploadedNames()).not.toContain('example-24.04-live-server-amd64.iso');
    expect(JSON.parse((await isodesk(['tasks', '--json'])).stdout)).toEqual([]);
  });

  it('answers the whole look as JSON', async () => {
    const run = await isodesk(['upload', '--dry-run', '--json', publisher.url(PUBLISHED.fedora)]);
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(answer).toMatchObject({
      file_name: 'Example-41-1.4-x86_64-netinst.iso',
      problems: [],
      image: { kind: 'iso', boot: 'uefi', volume_label: 'UEFI_ONLY', created_at: '2024-10-12T09:30:00.000Z', ranges: true },
      checksum: { sha256: publisher.sha256[PUBLISHED.fedora], source_url: publisher.url('/fedora/41/CHECKSUM'), verify_command: 'sha256sum /dev/sr0' },
      duplicates: [],
    });
  });

  it('warns about a download page and a zip, and says where it looked for checksums', async () => {
    const page = await isodesk(['upload', '--dry-run', publisher.url(PUBLISHED.page)]);
    expect(page.code).toBe(0);
    expect(page.stdout).toContain('  image: not an ISO: a web page (html)\n');
    expect(page.stdout).toMatch(/^ {2}note: The link gives a web page, not an ISO file/m);
    expect(page.stdout).toContain(
      '  sha256: none published beside the file (looked for example-24.04.iso.sha256, SHA256SUMS, SHA256SUMS.txt, CHECKSUM, sha256sums.txt)\n',
    );
    const zip = await isodesk(['upload', '--dry-run', publisher.url(PUBLISHED.archive)]);
    expect(zip.stdout).toContain('  image: not an ISO: a compressed archive (zip)\n');
  });

  it('exits 4 when HOSTKEY would refuse the URL', async () => {
    const run = await isodesk(['upload', '--dry-run', 'http://127.0.0.1:9/x.iso']);
    expect(run.code).toBe(4);
    expect(run.stdout).toContain('  problem: HOSTKEY only downloads ISOs over https');
    expect(run.stdout).toContain('Dry run: nothing was sent to HOSTKEY.');
  });
});

describe('isodesk upload of a file already uploaded', SLOW, () => {
  const archUrl = () => publisher.url(PUBLISHED.arch);
  const archName = 'archlinux-2024.11.01-x86_64.iso';

  it('in a script: sends nothing and exits 8, naming the image to mount instead', async () => {
    const before = await uploadedNames();
    const run = await isodesk(['upload', archUrl()]);
    expect(run.code).toBe(8);
    expect(run.stdout).toMatch(
      /^ {2}already: You uploaded a file of this name from https:\/\/geo\.mirror\.pkgbuild\.com\/\S+ on 2024-11-02 10:12 as archlinux/m,
    );
    expect(run.stderr).toBe(
      `isodesk: Not uploaded. You uploaded a file of this name from https://geo.mirror.pkgbuild.com/iso/2024.11.01/${archName} on 2024-11-02 10:12 as ${archName} (ID 901, Active): mount it instead with "isodesk mount --server ID --iso ${archName}".\n` +
        'hint: Nothing was sent to HOSTKEY. To upload it again anyway, add --yes.\n',
    );
    const json = await isodesk(['upload', '--json', archUrl()]);
    expect(json.code).toBe(8);
    expect(json.stdout).toBe('');
    expect(JSON.parse(json.stderr)).toEqual({ error: expect.objectContaining({ kind: 'validation', code: 'duplicate' }) as unknown });
    expect(await uploadedNames()).toEqual(before);
  });

  it.skipIf(!hasScript)('on a terminal: asks, and "no" sends nothing', async () => {
    const run = await onTerminal(['upload', archUrl()], 'n\n');
    expect(run.stdout).toContain('Upload it again anyway? [y/N]');
    expect(run.stdout).toContain('isodesk: Not uploaded.');
    expect(run.code).toBe(8);
  });

  it.skipIf(!hasScript)('on a terminal: "y" uploads it again', async () => {
    const run = await onTerminal(['upload', archUrl()], 'y\n');
    expect(run.stdout).toContain('Upload it again anyway? [y/N]');
    expect(run.stdout).toContain(`Uploading ${archName}: started.`);
    expect(run.code).toBe(0);
  });

  it('--yes uploads it again and keeps the published checksum with it', async () => {
    const run = await isodesk(['upload', '--yes', archUrl(), '--wait']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Uploaded ${archName.replace(/\./g, '\\.')}`, 'm'));
    const cache = openCache(path.join(dataDir, CACHE_FILE), { readonly: true });
    try {
      expect(cache.checksums.latestFor('default', archUrl())).toMatchObject({
        sha256: publisher.sha256[PUBLISHED.arch],
        source_url: publisher.url('/arch/2024.11.01/sha256sums.txt'),
      });
    } finally {
      cache.close();
    }
  });
});

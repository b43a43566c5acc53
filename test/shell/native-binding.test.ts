import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installedElectron } from '../../main/build/electron-binary.js';
import { childEnv, ensureElectronNative, explainNodeGypFailure, NativeBuildError, nodeGypCandidates } from '../../main/build/electron-native.js';
import { electronNativeBindingPath } from '../../main/shell/native-binding.js';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const target = { electronVersion: '45.5.0', platform: 'linux' as const, arch: 'x64' };

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-native-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A 127.0.0.1 port with nothing listening: downloads fail at once, with or without internet. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('Electron build of better-sqlite3: location', () => {
  it('keeps one binary per Electron version, platform and architecture under .cache', () => {
    expect(electronNativeBindingPath('/repo', target)).toBe('/repo/.cache/electron-native/45.5.0-linux-x64/better_sqlite3.node');
    expect(electronNativeBindingPath('/repo', { ...target, electronVersion: '46.0.0-beta.2', arch: 'arm64' })).toBe(
      '/repo/.cache/electron-native/46.0.0-beta.2-linux-arm64/better_sqlite3.node',
    );
  });

  it('refuses values that could point the path elsewhere', () => {
    expect(() => electronNativeBindingPath('/repo', { ...target, electronVersion: '../../etc' })).toThrow(/Not an Electron version/);
    expect(() => electronNativeBindingPath('/repo', { ...target, arch: 'x64/../..' })).toThrow(/platform\/architecture/);
  });
});

describe('Electron build of better-sqlite3: building', () => {
  const nodeBinary = path.join(projectRoot, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  const here = { ...target, platform: process.platform, arch: process.arch };

  /** A project folder that shares this repo's node_modules but has its own (empty) .cache. */
  function scratchProject(): string {
    const root = tempDir();
    fs.symlinkSync(path.join(projectRoot, 'node_modules'), path.join(root, 'node_modules'));
    fs.writeFileSync(path.join(root, 'package.json'), '{}');
    return root;
  }
  // prebuild-install caches downloads under the npm cache: keep it out of the user's.
  const env = () => ({ ...process.env, npm_config_cache: tempDir() });

  it('does nothing when the binary is already there', async () => {
    const root = tempDir();
    const file = electronNativeBindingPath(root, target);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'built');
    const lines: string[] = [];
    // The folder has no node_modules: any attempt to download or build would fail, not just be slow.
    await expect(ensureElectronNative({ projectRoot: root, target, log: (l) => lines.push(l) })).resolves.toBe(file);
    expect(lines).toEqual([]);
    expect(fs.readFileSync(file, 'utf8')).toBe('built');
  });

  it('installs the prebuilt binary into .cache and leaves node_modules alone', async () => {
    // A local stand-in for better-sqlite3's GitHub release: a tarball laid out like the real ones.
    const staging = tempDir();
    fs.mkdirSync(path.join(staging, 'build', 'Release'), { recursive: true });
    fs.writeFileSync(path.join(staging, 'build', 'Release', 'better_sqlite3.node'), 'electron build');
    const tarball = path.join(tempDir(), 'prebuilt.tar.gz');
    execFileSync('tar', ['-czf', tarball, '-C', staging, 'build']);
    const requested: string[] = [];
    const server = http.createServer((req, res) => {
      requested.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/gzip' }).end(fs.readFileSync(tarball));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const before = fs.readFileSync(nodeBinary);
    try {
      const root = scratchProject();
      const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/v12/better-sqlite3-electron.tar.gz`;
      const file = await ensureElectronNative({ projectRoot: root, target: here, log: () => undefined, prebuildUrl: url, env: env() });
      expect(file).toBe(electronNativeBindingPath(root, here));
      expect(fs.readFileSync(file, 'utf8')).toBe('electron build');
      expect(requested).toEqual(['/v12/better-sqlite3-electron.tar.gz']);
      expect(fs.readdirSync(path.dirname(file))).toEqual(['better_sqlite3.node']);
      expect(fs.readFileSync(nodeBinary).equals(before)).toBe(true);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 30_000);

  it('explains a missing network instead of failing obscurely', async () => {
    const port = await closedPort();
    const root = scratchProject();
    const lines: string[] = [];
    const error = await ensureElectronNative({
      projectRoot: root,
      target: here,
      log: (l) => lines.push(l),
      headersUrl: `http://127.0.0.1:${port}/headers`,
      prebuildUrl: `http://127.0.0.1:${port}/better-sqlite3.tar.gz`,
      env: env(),
    }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(NativeBuildError);
    expect((error as Error).message).toMatch(/Electron's headers could not be downloaded from http:\/\/127\.0\.0\.1:\d+\/headers/);
    expect((error as Error).message).toMatch(/npm test and the CLI do not need it/);
    expect(lines[0]).toMatch(/fetching the prebuilt binary for Electron 45\.5\.0/);
    expect(lines[1]).toMatch(/no prebuilt binary \(.*ECONNREFUSED.*\); compiling it/);
    expect(fs.existsSync(path.join(root, '.cache'))).toBe(false);
  }, 60_000);

  it('keeps npm settings that would retarget the build away from the compiler', () => {
    const env = childEnv({
      PATH: '/bin',
      npm_config_nodedir: '/usr',
      NPM_CONFIG_TARGET: '20.0.0',
      npm_config_runtime: 'node',
      npm_config_proxy: 'http://proxy:3128',
      npm_package_name: 'isodesk',
      target: 'kept',
    });
    expect(env).toEqual({ PATH: '/bin', npm_config_proxy: 'http://proxy:3128', target: 'kept' });
  });

  it('finds node-gyp where npm keeps it, best source first', () => {
    const env = { npm_config_node_gyp: '/npm/node_modules/node-gyp/bin/node-gyp.js', npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js' };
    expect(nodeGypCandidates(env, '/usr/bin/node', 'linux', '/repo/node_modules/node-gyp/bin/node-gyp.js')).toEqual([
      '/npm/node_modules/node-gyp/bin/node-gyp.js',
      '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
      '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
      '/repo/node_modules/node-gyp/bin/node-gyp.js',
    ]);
    expect(nodeGypCandidates({}, '/opt/node/bin/node', 'linux', null)).toEqual(['/opt/node/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js']);
  });

  it('tells a compiler problem apart from a network problem', () => {
    const network = explainNodeGypFailure(
      'gyp http GET https://electronjs.org/headers/v45.5.0/node-v45.5.0-headers.tar.gz\ngyp WARN install got an error, rolling back install\ngyp ERR! configure error',
      target,
      'https://electronjs.org/headers',
    );
    expect(network).toMatch(/headers could not be downloaded/);
    const compiler = explainNodeGypFailure('gyp ERR! stack Error: not found: make\ngyp ERR! configure error', target, 'https://electronjs.org/headers');
    expect(compiler).toMatch(/install a C\+\+ toolchain/);
    expect(compiler).toMatch(/not found: make/);
  });
});

describe('installed Electron', () => {
  it('reports the version and a missing binary without trying to download it', () => {
    const root = tempDir();
    const pkg = path.join(root, 'node_modules', 'electron');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '45.5.0' }));
    expect(installedElectron(root, {})).toEqual({ version: '45.5.0', binary: null });
    fs.writeFileSync(path.join(pkg, 'path.txt'), 'electron');
    expect(installedElectron(root, {})).toEqual({ version: '45.5.0', binary: null });
    fs.mkdirSync(path.join(pkg, 'dist'));
    fs.writeFileSync(path.join(pkg, 'dist', 'electron'), '');
    expect(installedElectron(root, {})).toEqual({ version: '45.5.0', binary: path.join(pkg, 'dist', 'electron') });
  });

  it('answers null when the package is absent', () => {
    expect(installedElectron(tempDir(), {})).toBeNull();
  });
});

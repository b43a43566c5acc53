/**
 * Builds better-sqlite3 for Electron into .cache/electron-native/<version>-<platform>-<arch>/
 * without touching node_modules, so the Node build there keeps serving npm test and the CLI.
 * A copy of the package is made in a temporary folder; there prebuild-install fetches the
 * matching prebuilt binary, and when none can be had node-gyp compiles it against Electron's
 * headers. Nothing happens when the binary is already there.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { electronNativeBindingPath, NATIVE_BINARY_NAME, type NativeTarget } from '../shell/native-binding.js';

export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';

export interface NativeBuildOptions {
  projectRoot: string;
  target: NativeTarget;
  log: (line: string) => void;
  /** Overrides for tests and mirrors. */
  headersUrl?: string;
  /** A prebuilt tarball URL for prebuild-install's --download (defaults to better-sqlite3's GitHub release). */
  prebuildUrl?: string;
  env?: NodeJS.ProcessEnv;
}

export class NativeBuildError extends Error {
  override readonly name = 'NativeBuildError';
}

interface RunResult {
  code: number | null;
  output: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, windowsHide: true });
    let output = '';
    const collect = (chunk: Buffer): void => {
      // Keep the tail only: compiler output can be long and only the end explains a failure.
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (err) => resolve({ code: null, output: `${output}\n${err.message}` }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

function tail(output: string, lines = 15): string {
  return output.trim().split(/\r?\n/).slice(-lines).join('\n');
}

/**
 * npm settings that would silently retarget the build: npm passes its config to scripts as
 * npm_config_*, and some distributions set nodedir=/usr, which makes node-gyp compile against the
 * system Node's headers instead of Electron's. npm_package_* describe ISO Desk, not the copy.
 */
const RETARGETING_SETTINGS = ['nodedir', 'target', 'target_arch', 'arch', 'platform', 'runtime', 'disturl', 'dist_url', 'build_from_source'];

function retargets(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('npm_config_') && RETARGETING_SETTINGS.includes(lower.slice('npm_config_'.length));
}

export function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('npm_package_') && !retargets(name)));
}

/**
 * Where node-gyp may be, best first: the one npm announces to scripts, the one bundled with the npm
 * that runs us, the one next to this Node, and finally the project's own copy.
 */
export function nodeGypCandidates(env: NodeJS.ProcessEnv, execPath: string, platform: NodeJS.Platform, projectNodeGyp: string | null): string[] {
  const fromNpm = (npmDir: string) => path.join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  const candidates: string[] = [];
  if (env.npm_config_node_gyp) candidates.push(env.npm_config_node_gyp);
  if (env.npm_execpath) candidates.push(fromNpm(path.dirname(path.dirname(env.npm_execpath))));
  const nodeDir = path.dirname(execPath);
  candidates.push(fromNpm(platform === 'win32' ? path.join(nodeDir, 'node_modules', 'npm') : path.join(nodeDir, '..', 'lib', 'node_modules', 'npm')));
  if (projectNodeGyp) candidates.push(projectNodeGyp);
  return candidates;
}

/** node-gyp prints this when fetching the headers failed, whatever the network error was. */
const HEADERS_DOWNLOAD_FAILED = /install got an error, rolling back install/;

/** Turns a failed node-gyp run into advice a person can act on. */
export function explainNodeGypFailure(output: string, target: NativeTarget, headersUrl: string): string {
  const intro = `Could not build better-sqlite3 for Electron ${target.electronVersion} (${target.platform}-${target.arch}).`;
  if (HEADERS_DOWNLOAD_FAILED.test(output)) {
    return (
      `${intro} Electron's headers could not be downloaded from ${headersUrl} and no prebuilt binary was available: ` +
      'check the internet connection (or proxy settings) and run npm start again. This is needed once per Electron version; ' +
      'npm test and the CLI do not need it.'
    );
  }
  return (
    `${intro} Compiling failed: install a C++ toolchain (Linux: build-essential and python3; macOS: Xcode Command Line Tools; ` +
    `Windows: Visual Studio Build Tools with "Desktop development with C++"), then run npm start again.\n\n${tail(output)}`
  );
}

/** The path of the Electron build of better-sqlite3, building it first when it is missing. */
export async function ensureElectronNative(opts: NativeBuildOptions): Promise<string> {
  const target = electronNativeBindingPath(opts.projectRoot, opts.target);
  if (fs.existsSync(target)) return target;

  const require = createRequire(path.join(opts.projectRoot, 'package.json'));
  const packageDir = path.dirname(require.resolve('better-sqlite3/package.json'));
  const env = childEnv(opts.env ?? process.env);
  const { electronVersion, platform, arch } = opts.target;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-native-'));
  try {
    const copy = path.join(work, 'better-sqlite3');
    fs.cpSync(packageDir, copy, { recursive: true, filter: (src) => path.relative(packageDir, src).split(path.sep)[0] !== 'build' });
    const built = path.join(copy, 'build', 'Release', NATIVE_BINARY_NAME);

    opts.log(`better-sqlite3: fetching the prebuilt binary for Electron ${electronVersion} (${platform}-${arch})…`);
    const prebuildBin = path.join(path.dirname(require.resolve('prebuild-install/package.json', { paths: [packageDir] })), 'bin.js');
    const prebuildArgs = [prebuildBin, '--runtime', 'electron', '--target', electronVersion, '--platform', platform, '--arch', arch];
    if (opts.prebuildUrl) prebuildArgs.push('--download', opts.prebuildUrl);
    const prebuilt = await run(process.execPath, prebuildArgs, copy, env, 120_000);

    if (prebuilt.code !== 0 || !fs.existsSync(built)) {
      opts.log(`better-sqlite3: no prebuilt binary (${tail(prebuilt.output, 1) || 'download failed'}); compiling it, which takes a few minutes…`);
      let projectNodeGyp: string | null = null;
      try {
        projectNodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
      } catch {
        projectNodeGyp = null;
      }
      const nodeGyp = nodeGypCandidates(env, process.execPath, process.platform, projectNodeGyp).find((file) => fs.existsSync(file));
      if (!nodeGyp) {
        throw new NativeBuildError(
          `No prebuilt better-sqlite3 for Electron ${electronVersion} could be downloaded, and node-gyp (normally bundled with npm) was not found to compile it. ` +
            'Check the internet connection, or reinstall npm, then run npm start again.',
        );
      }
      const headersUrl = opts.headersUrl ?? ELECTRON_HEADERS_URL;
      const compiled = await run(
        process.execPath,
        [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, `--dist-url=${headersUrl}`, '--runtime=electron'],
        copy,
        env,
        20 * 60_000,
      );
      if (compiled.code !== 0 || !fs.existsSync(built)) throw new NativeBuildError(explainNodeGypFailure(compiled.output, opts.target, headersUrl));
    }

    fs.mkdirSync(path.dirname(target), { recursive: true });
    // Copy then rename, so an interrupted run never leaves a half-written binary that looks done.
    const partial = `${target}.${process.pid}.partial`;
    fs.copyFileSync(built, partial);
    fs.renameSync(partial, target);
    opts.log(`better-sqlite3: Electron build saved to ${path.relative(opts.projectRoot, target)}`);
    return target;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Makes sure the built files a test runs are fresh: dist/renderer for the browser tests, and the
 * main-process bundles (dist/main, dist/preload) for the tests that run the built shell. `npm test`
 * builds first, so this usually finds them fresh; running one file alone builds here. A lock folder
 * keeps two test workers from building into the same folder at once.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDERER_DIR = path.join(ROOT, 'dist/renderer');
const LOCK_STALE_MS = 5 * 60_000;

interface Build {
  /** Files the build writes; the oldest of them must be newer than every source. */
  outputs: string[];
  /** Everything the build is made from. */
  sources: string[];
  /** npm script that builds it. */
  script: string;
}

const RENDERER: Build = {
  outputs: [path.join(RENDERER_DIR, 'index.html')],
  sources: ['renderer', 'vite.config.ts', 'main/ipc', 'main/domain'],
  script: 'build:renderer',
};

const MAIN: Build = {
  outputs: ['dist/main/shell.js', 'dist/preload/index.cjs', 'dist/icons/icon.png'].map((p) => path.join(ROOT, p)),
  sources: ['main', 'preload', 'package.json'],
  script: 'build:main',
};

function newestMtime(target: string): number {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

function isFresh(build: Build): boolean {
  const built = build.outputs.map((file) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return Math.min(...built) >= Math.max(...build.sources.map((p) => newestMtime(path.join(ROOT, p))));
}

function tryLock(lock: string): boolean {
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  try {
    fs.mkdirSync(lock);
    return true;
  } catch {
    const stat = fs.statSync(lock, { throwIfNoEntry: false });
    // A worker that died mid-build must not block every later run.
    if (stat && Date.now() - stat.mtimeMs > LOCK_STALE_MS) fs.rmSync(lock, { recursive: true, force: true });
    return false;
  }
}

async function ensureBuilt(build: Build): Promise<void> {
  const lock = path.join(ROOT, `dist/.${build.script.replace(':', '-')}.lock`);
  while (!isFresh(build)) {
    if (tryLock(lock)) {
      try {
        if (!isFresh(build)) execFileSync('npm', ['run', '--silent', build.script], { cwd: ROOT, stdio: 'pipe' });
      } finally {
        fs.rmSync(lock, { recursive: true, force: true });
      }
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function ensureRendererBuilt(): Promise<void> {
  return ensureBuilt(RENDERER);
}

/** The renderer and the main-process bundles, as `npm start` and the packaged app load them. */
export async function ensureAppBuilt(): Promise<void> {
  await ensureRendererBuilt();
  await ensureBuilt(MAIN);
}

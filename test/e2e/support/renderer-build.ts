/**
 * Makes sure dist/renderer is built from the current sources before a browser test serves it.
 * `npm test` builds first, so this usually finds it fresh; running one e2e file alone builds it
 * here. A lock folder keeps two test workers from building into the same folder at once.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDERER_DIR = path.join(ROOT, 'dist/renderer');
const BUILT = path.join(RENDERER_DIR, 'index.html');
/** Everything the renderer bundle is made from. */
const SOURCES = ['renderer', 'vite.config.ts', 'main/ipc', 'main/domain'].map((p) => path.join(ROOT, p));
const LOCK = path.join(ROOT, 'dist/.renderer-build.lock');
const LOCK_STALE_MS = 5 * 60_000;

function newestMtime(target: string): number {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

function isFresh(): boolean {
  const built = fs.statSync(BUILT, { throwIfNoEntry: false });
  return built !== undefined && built.mtimeMs >= Math.max(...SOURCES.map(newestMtime));
}

function tryLock(): boolean {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  try {
    fs.mkdirSync(LOCK);
    return true;
  } catch {
    const stat = fs.statSync(LOCK, { throwIfNoEntry: false });
    // A worker that died mid-build must not block every later run.
    if (stat && Date.now() - stat.mtimeMs > LOCK_STALE_MS) fs.rmSync(LOCK, { recursive: true, force: true });
    return false;
  }
}

export async function ensureRendererBuilt(): Promise<void> {
  while (!isFresh()) {
    if (tryLock()) {
      try {
        if (!isFresh()) execFileSync('npm', ['run', '--silent', 'build:renderer'], { cwd: ROOT, stdio: 'pipe' });
      } finally {
        fs.rmSync(LOCK, { recursive: true, force: true });
      }
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

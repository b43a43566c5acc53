/**
 * Where ISO Desk keeps its cache and secrets. The desktop app uses Electron's `userData` folder;
 * the CLI runs without Electron, so this module spells out the same folder from the platform's
 * conventions (no `electron` import) and both read and write one cache.
 *
 *   Linux:   $XDG_CONFIG_HOME/ISO Desk, else ~/.config/ISO Desk
 *   macOS:   ~/Library/Application Support/ISO Desk
 *   Windows: %APPDATA%\ISO Desk
 *
 * ISODESK_DATA_DIR overrides it everywhere.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unusableDataDir } from '../domain/storage-faults.js';
import { PRODUCT } from '../version.js';

export const DATA_DIR_ENV = 'ISODESK_DATA_DIR';

export interface PlatformContext {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
}

const current = (): PlatformContext => ({ platform: process.platform, env: process.env, homedir: os.homedir() });

/** The folder Electron's app.getPath('appData') names on this platform. */
export function appDataDir(ctx: PlatformContext = current()): string {
  switch (ctx.platform) {
    case 'win32':
      return ctx.env.APPDATA || path.win32.join(ctx.homedir, 'AppData', 'Roaming');
    case 'darwin':
      return path.posix.join(ctx.homedir, 'Library', 'Application Support');
    default:
      return ctx.env.XDG_CONFIG_HOME || path.posix.join(ctx.homedir, '.config');
  }
}

/** The same path as Electron's app.getPath('userData') for this product. */
export function defaultDataDir(ctx: PlatformContext = current()): string {
  const join = ctx.platform === 'win32' ? path.win32.join : path.posix.join;
  return join(appDataDir(ctx), PRODUCT);
}

/** ISODESK_DATA_DIR when set (made absolute), else the platform default. */
export function resolveDataDir(ctx: PlatformContext = current()): string {
  const override = ctx.env[DATA_DIR_ENV]?.trim();
  return override ? path.resolve(override) : defaultDataDir(ctx);
}

/** Only the user may list or open what ISO Desk keeps. */
const FOLDER_MODE = 0o700;

/**
 * Makes sure `dir` is a folder ISO Desk can use, creating it (and missing parents) private to the
 * user. A folder that exists but cannot be written is accepted: the cache then opens read-only.
 * Anything else (a file, a path through a file, no permission to create it) is a usage error that
 * says which. Parents are created one by one: Node's recursive mkdir loops for ever on a path
 * whose parent refuses new entries with ENOENT (e.g. under /proc).
 */
export function prepareDataDir(dir: string): void {
  const absolute = path.resolve(dir);
  const missing: string[] = [];
  let existing = absolute;
  for (;;) {
    const stat = statOrError(existing);
    if (stat instanceof fs.Stats) {
      if (!stat.isDirectory()) throw unusableDataDir(absolute, errno(existing === absolute ? 'EEXIST' : 'ENOTDIR'));
      break;
    }
    if (stat !== 'ENOENT') throw unusableDataDir(absolute, errno(stat));
    const parent = path.dirname(existing);
    if (parent === existing) throw unusableDataDir(absolute, errno('ENOENT'));
    missing.unshift(existing);
    existing = parent;
  }
  for (const folder of missing) {
    try {
      fs.mkdirSync(folder, { mode: FOLDER_MODE });
    } catch (err) {
      // Another process may have made it in between; anything else there is a problem.
      const now = statOrError(folder);
      if (!(now instanceof fs.Stats && now.isDirectory())) throw unusableDataDir(absolute, err);
    }
  }
}

function statOrError(target: string): fs.Stats | string {
  try {
    return fs.statSync(target);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'EIO';
  }
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

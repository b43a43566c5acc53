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
import os from 'node:os';
import path from 'node:path';
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

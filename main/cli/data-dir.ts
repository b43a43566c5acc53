/**
 * Where the desktop app keeps its data (Electron's userData for "ISO Desk"), computed without
 * Electron so the CLI opens the same cache as the app.
 */
import os from 'node:os';
import path from 'node:path';
import { PRODUCT } from '../version.js';

export function defaultDataDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), PRODUCT);
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', PRODUCT);
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), PRODUCT);
}

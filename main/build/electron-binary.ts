/**
 * Where the installed Electron is, read from node_modules/electron without running its index.js
 * (which would try to download a missing binary as a side effect).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface InstalledElectron {
  version: string;
  /** The executable, or null when the binary was never downloaded (e.g. install scripts skipped, no network). */
  binary: string | null;
}

/** null when the electron package itself is not installed. */
export function installedElectron(projectRoot: string, env: NodeJS.ProcessEnv = process.env): InstalledElectron | null {
  const dir = path.join(projectRoot, 'node_modules', 'electron');
  let version: string;
  try {
    const pkg: unknown = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    if (typeof pkg !== 'object' || pkg === null || !('version' in pkg) || typeof pkg.version !== 'string') return null;
    version = pkg.version;
  } catch {
    return null;
  }
  let relative: string | null;
  try {
    relative = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim() || null;
  } catch {
    relative = null;
  }
  // Same override electron's own launcher honours.
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH || path.join(dir, 'dist');
  const binary = relative ? path.join(distDir, relative) : null;
  return { version, binary: binary && fs.existsSync(binary) ? binary : null };
}

export const ELECTRON_MISSING_HELP =
  "Electron's binary is not installed (node_modules/electron/dist is missing), usually because its download failed " +
  'or install scripts were skipped. Run "npx install-electron" (or delete node_modules/electron and run "npm install") ' +
  'with internet access, then try again. npm test does not need it.';

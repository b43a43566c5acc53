/**
 * Getting the development app running: check that Electron's binary is really installed, make sure
 * the Electron build of better-sqlite3 exists (see electron-native.ts), then run `electron .`.
 * Used by `npm start` and `npm run demo`.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ELECTRON_MISSING_HELP, installedElectron } from './electron-binary.js';
import { ensureElectronNative } from './electron-native.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export class LaunchError extends Error {
  override readonly name = 'LaunchError';
}

/** The Electron executable, once everything the development app needs is in place. */
export async function prepareElectron(root = PROJECT_ROOT): Promise<string> {
  const electron = installedElectron(root);
  if (!electron) throw new LaunchError('The electron package is not installed. Run "npm install" first.');
  if (!electron.binary) throw new LaunchError(ELECTRON_MISSING_HELP);
  await ensureElectronNative({
    projectRoot: root,
    target: { electronVersion: electron.version, platform: process.platform, arch: process.arch },
    log: (line) => console.log(line),
  });
  return electron.binary;
}

/** Runs the app until it exits; Ctrl+C and SIGTERM are passed on. Answers its exit code. */
export function runElectron(binary: string, args: readonly string[], env: NodeJS.ProcessEnv, root = PROJECT_ROOT): Promise<number> {
  // Inherited from some tools, it would make Electron behave as plain Node.
  const { ELECTRON_RUN_AS_NODE: _runAsNode, ...cleanEnv } = env;
  const child = spawn(binary, ['.', ...args], { cwd: root, env: cleanEnv, stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve) => {
    child.on('error', (err) => {
      console.error(`Could not start Electron: ${err.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

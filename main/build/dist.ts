/**
 * `npm run dist` (after `npm run build`): runs electron-builder for the current platform. Its
 * npmRebuild step rebuilds better-sqlite3 for Electron *in node_modules*, which would break npm test
 * and the CLI afterwards; the Node build is therefore put aside first and put back afterwards,
 * whether packaging succeeded or not.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { NATIVE_BINARY_NAME } from '../shell/native-binding.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'package.json'));
const nodeBinary = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', NATIVE_BINARY_NAME);
const backup = path.join(root, '.cache', 'node-native', NATIVE_BINARY_NAME);

fs.mkdirSync(path.dirname(backup), { recursive: true });
fs.copyFileSync(nodeBinary, backup);
const builderCli = path.join(path.dirname(require.resolve('electron-builder/package.json')), 'cli.js');
const code = await new Promise<number>((resolve) => {
  const child = spawn(process.execPath, [builderCli, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  // Ctrl+C stops electron-builder, and the restore below still runs.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('error', () => resolve(1));
  child.on('exit', (status) => resolve(status ?? 1));
});
fs.copyFileSync(backup, nodeBinary);
console.log('dist: restored the Node build of better-sqlite3 in node_modules (npm test and the CLI use it).');
process.exit(code);

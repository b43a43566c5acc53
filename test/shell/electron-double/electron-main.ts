/**
 * The child process's entry, in the role of Electron's browser process: it plays the platform it
 * was told to, points `electron` at the double, starts the driver that answers the test, runs the
 * app's main script as Electron would (package.json `main` under app.getAppPath()), and emits
 * `ready` once that script has run.
 * test/shell/support/shell-process.ts bundles this folder with esbuild and runs the bundle with
 * plain `node` (ISODESK_ELECTRON_DOUBLE set); `node --import tsx electron-main.ts` runs the sources.
 */
import fs from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readConfig } from './config.js';

const config = readConfig();
// The shell reads the platform to pick its tray icon and close rules; Node's own `path` stays POSIX.
Object.defineProperty(process, 'platform', { value: config.platform });
Object.defineProperty(process.versions, 'electron', { value: config.electronVersion, enumerable: true });
Object.defineProperty(process.versions, 'chrome', { value: '140.0.0.0', enumerable: true });

// The double is main-process.ts, or main-process.mjs in the bundle: the same extension as this file.
const extension = path.extname(new URL(import.meta.url).pathname);
register('./resolve-electron.mjs', import.meta.url, { data: { doubleUrl: new URL(`./main-process${extension}`, import.meta.url).href } });

const { app } = await import('./main-process.js');
await import('./driver.js');

const pkg = JSON.parse(fs.readFileSync(path.join(config.appPath, 'package.json'), 'utf8')) as { main?: string };
if (!pkg.main) throw new Error(`${config.appPath}/package.json has no "main"`);
await import(pathToFileURL(path.resolve(config.appPath, pkg.main)).href);
app.markReady();

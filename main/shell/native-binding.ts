/**
 * better-sqlite3 is a native module, and Node and Electron need different builds of it. The copy in
 * node_modules stays built for Node (tests, CLI); the development Electron app loads a second build
 * kept under .cache/electron-native, one folder per Electron version, platform and architecture, so
 * that `npm test` and `npm start` work in either order. Packaged apps need neither: electron-builder
 * rebuilds node_modules for Electron inside the package.
 */
import path from 'node:path';

export const NATIVE_BINARY_NAME = 'better_sqlite3.node';

export interface NativeTarget {
  electronVersion: string;
  platform: NodeJS.Platform;
  arch: string;
}

const VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** <projectRoot>/.cache/electron-native/<version>-<platform>-<arch>/better_sqlite3.node */
export function electronNativeBindingPath(projectRoot: string, target: NativeTarget): string {
  if (!VERSION.test(target.electronVersion)) throw new Error(`Not an Electron version: "${target.electronVersion}"`);
  if (!/^[a-z0-9_]+$/.test(target.platform) || !/^[a-z0-9_]+$/.test(target.arch)) {
    throw new Error(`Not a platform/architecture pair: "${target.platform}-${target.arch}"`);
  }
  return path.join(projectRoot, '.cache', 'electron-native', `${target.electronVersion}-${target.platform}-${target.arch}`, NATIVE_BINARY_NAME);
}

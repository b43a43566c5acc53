/**
 * electron-builder.yml, checked without packaging (which needs Electron downloads): it must pass
 * electron-builder's own schema, keep the hardening fuses and targets the issue asks for, and
 * point at icons and entry points that exist.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { pngDimensions } from '../../main/build/icon-formats.js';

const root = path.resolve(import.meta.dirname, '../..');
// electron-builder's own YAML reader and schema validator, from its dependency tree.
const require = createRequire(path.join(root, 'node_modules/app-builder-lib/package.json'));
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('./out/util/config/config.js') as { validateConfiguration(config: unknown, logger: unknown): Promise<void> };
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

type Config = {
  appId: string;
  productName: string;
  directories: { buildResources: string };
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; icon: string };
  mac: { target: string; icon: string };
  win: { target: string; icon: string };
};
const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Config;
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  main: string;
  productName: string;
  dependencies?: Record<string, string>;
};

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app and builds AppImage, deb, dmg and nsis', () => {
    expect(config.appId).toBe('com.isodesk.app');
    expect(config.productName).toBe('ISO Desk');
    expect(pkg.productName).toBe(config.productName);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toBe('dmg');
    expect(config.win.target).toBe('nsis');
  });

  it('turns off RunAsNode, NODE_OPTIONS and inspect, and locks the app to its checked asar', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('rebuilds better-sqlite3 for Electron and keeps it outside the asar', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**');
  });

  it('ships the keyring module as a dependency, its binaries outside the asar', () => {
    expect(Object.keys(pkg.dependencies ?? {})).toContain('@napi-rs/keyring');
    expect(config.asarUnpack).toContain('node_modules/@napi-rs/keyring*/**');
  });

  it('ships the built entry point and icons that exist', () => {
    expect(pkg.main).toBe('dist/main/shell.js');
    expect(config.files).toContain('dist/**');
    const resources = path.join(root, config.directories.buildResources);
    expect(fs.readFileSync(path.join(resources, config.win.icon)).readUInt16LE(2)).toBe(1);
    expect(fs.readFileSync(path.join(resources, config.mac.icon)).toString('latin1', 0, 4)).toBe('icns');
    const linuxIcons = fs.readdirSync(path.join(resources, config.linux.icon));
    expect(linuxIcons).toContain('512x512.png');
    expect(pngDimensions(fs.readFileSync(path.join(resources, config.linux.icon, '512x512.png'))).width).toBe(512);
  });
});

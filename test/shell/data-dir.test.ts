import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDataDir } from '../../main/session/data-dir.js';

describe('data directory', () => {
  it('matches Electron userData on each platform', () => {
    expect(defaultDataDir({ platform: 'linux', env: {}, homedir: '/home/ann' })).toBe('/home/ann/.config/ISO Desk');
    expect(defaultDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/xdg' }, homedir: '/home/ann' })).toBe('/xdg/ISO Desk');
    expect(defaultDataDir({ platform: 'darwin', env: {}, homedir: '/Users/ann' })).toBe('/Users/ann/Library/Application Support/ISO Desk');
    expect(defaultDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, homedir: 'C:\\Users\\ann' })).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\ISO Desk',
    );
    expect(defaultDataDir({ platform: 'win32', env: {}, homedir: 'C:\\Users\\ann' })).toBe('C:\\Users\\ann\\AppData\\Roaming\\ISO Desk');
  });

  it('lets ISODESK_DATA_DIR override it, made absolute', () => {
    const ctx = { platform: 'linux' as const, homedir: '/home/ann' };
    expect(resolveDataDir({ ...ctx, env: { ISODESK_DATA_DIR: '/srv/isodesk' } })).toBe('/srv/isodesk');
    expect(resolveDataDir({ ...ctx, env: { ISODESK_DATA_DIR: 'rel/dir' } })).toBe(path.resolve('rel/dir'));
    expect(resolveDataDir({ ...ctx, env: { ISODESK_DATA_DIR: '  ' } })).toBe('/home/ann/.config/ISO Desk');
  });
});

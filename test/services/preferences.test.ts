/**
 * The user's preferences (the detach reminder's setting, issue #9) in a real data folder: the
 * default until saved, kept across processes, a damaged value falling back to its default alone,
 * and a folder that cannot be written reported as a storage error with nothing half-written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../main/domain/errors.js';
import { PREFERENCES_FILE, PreferencesService } from '../../main/services/preferences.js';

const dirs: string[] = [];
function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-prefs-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) {
    fs.chmodSync(dir, 0o700);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('preferences', () => {
  it('remind after two hours until the user chooses, and keep the choice for the next process', () => {
    const dir = dataDir();
    expect(new PreferencesService(dir).get()).toEqual({ detach_reminder_minutes: 120 });
    expect(new PreferencesService(dir).set({ detach_reminder_minutes: 240 })).toEqual({ detach_reminder_minutes: 240 });
    expect(new PreferencesService(dir).get()).toEqual({ detach_reminder_minutes: 240 });
    expect(fs.readdirSync(dir)).toEqual([PREFERENCES_FILE]);
  });

  it('fall back to the default for a damaged value or file', () => {
    const dir = dataDir();
    fs.writeFileSync(path.join(dir, PREFERENCES_FILE), JSON.stringify({ detach_reminder_minutes: -5 }));
    expect(new PreferencesService(dir).get()).toEqual({ detach_reminder_minutes: 120 });
    fs.writeFileSync(path.join(dir, PREFERENCES_FILE), '{"detach_reminder_min');
    expect(new PreferencesService(dir).get()).toEqual({ detach_reminder_minutes: 120 });
  });

  it('say plainly when the data folder cannot be written, and leave the old choice whole', () => {
    if (process.getuid?.() === 0) {
      console.log('skipped: running as root, a read-only folder is still writable');
      return;
    }
    const dir = dataDir();
    const prefs = new PreferencesService(dir);
    prefs.set({ detach_reminder_minutes: 60 });
    fs.chmodSync(dir, 0o500);
    let error: unknown;
    try {
      prefs.set({ detach_reminder_minutes: 30 });
    } catch (err) {
      error = err;
    }
    expect(isAppError(error, 'storage')).toBe(true);
    expect(prefs.get()).toEqual({ detach_reminder_minutes: 60 });
    expect(fs.readdirSync(dir)).toEqual([PREFERENCES_FILE]);
  });
});

/**
 * The user's preferences, in <dataDir>/preferences.json: read on every request (another ISO Desk
 * process may have changed them), validated field by field so one bad value falls back to its
 * default without losing the others, and written whole through a temporary file and a rename.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../domain/errors.js';
import { DEFAULT_PREFERENCES, Preferences } from '../domain/preferences.js';

export const PREFERENCES_FILE = 'preferences.json';

export class PreferencesService {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, PREFERENCES_FILE);
  }

  get(): Preferences {
    let stored: unknown;
    try {
      stored = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch {
      // Missing or unreadable: the defaults stand until the user saves a choice.
      return { ...DEFAULT_PREFERENCES };
    }
    const prefs: Preferences = { ...DEFAULT_PREFERENCES };
    for (const key of Object.keys(Preferences.shape) as (keyof Preferences)[]) {
      const value = Preferences.shape[key].safeParse((stored as Record<string, unknown> | null)?.[key]);
      if (value.success) prefs[key] = value.data;
    }
    return prefs;
  }

  set(change: Partial<Preferences>): Preferences {
    const next = { ...this.get(), ...change };
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, JSON.stringify(next, null, 2));
      fs.renameSync(tmp, this.file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw new AppError('storage', `ISO Desk could not save your preferences (${err instanceof Error ? err.message : String(err)}).`, { cause: err });
    }
    return next;
  }
}

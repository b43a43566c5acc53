/** Profiles and which one is active. */
import { writeTransaction, type Db, type Statements } from './connection.js';
import { asRow, damaged, parseRow } from './rows.js';
import { StoredProfile, type ProfileRepository } from './types.js';

const ACTIVE_PROFILE = 'active_profile';

export class Profiles implements ProfileRepository {
  constructor(
    private readonly db: Db,
    private readonly statements: Statements,
    /** Lists the profile's catalog files, which no foreign key reaches; returns what deletes them. */
    private readonly catalogFiles: (profile: string) => () => void,
  ) {}

  upsert(p: StoredProfile): void {
    const profile = StoredProfile.parse(p);
    // An upsert, not INSERT OR REPLACE: replacing the row would cascade-delete the profile's data.
    this.statements
      .get(
        `INSERT INTO profiles (name, base_url, role, role_type, permissions, email, customer_id, auth)
         VALUES (@name, @base_url, @role, @role_type, @permissions, @email, @customer_id, @auth)
         ON CONFLICT (name) DO UPDATE SET
           base_url = excluded.base_url, role = excluded.role, role_type = excluded.role_type,
           permissions = excluded.permissions, email = excluded.email, customer_id = excluded.customer_id,
           auth = excluded.auth`,
      )
      .run({ ...profile, permissions: JSON.stringify(profile.permissions) });
  }

  get(name: string): StoredProfile | null {
    const row = this.statements.get('SELECT * FROM profiles WHERE name = ?').get(name);
    return row === undefined ? null : profileFromRow(row);
  }

  list(): StoredProfile[] {
    return this.statements.get('SELECT * FROM profiles ORDER BY name').all().map(profileFromRow);
  }

  remove(name: string): void {
    const removeCatalogFiles = writeTransaction(this.db, () => {
      const removeFiles = this.catalogFiles(name);
      // Lists, their rows and the profile's tasks go with it (ON DELETE CASCADE).
      this.statements.get('DELETE FROM profiles WHERE name = ?').run(name);
      return removeFiles;
    });
    removeCatalogFiles();
  }

  getActive(): string | null {
    const row = this.statements.get('SELECT value FROM settings WHERE key = ?').get(ACTIVE_PROFILE);
    if (row === undefined) return null;
    const value = asRow(row).value;
    if (typeof value !== 'string') throw damaged('the active profile');
    return value;
  }

  setActive(name: string | null): void {
    if (name === null) this.statements.get('DELETE FROM settings WHERE key = ?').run(ACTIVE_PROFILE);
    else
      this.statements.get('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(ACTIVE_PROFILE, name);
  }
}

function profileFromRow(value: unknown): StoredProfile {
  const row = asRow(value);
  let permissions: unknown;
  try {
    permissions = JSON.parse(String(row.permissions));
  } catch (err) {
    throw damaged('the permissions of a profile', err);
  }
  return parseRow(StoredProfile, { ...row, permissions }, 'a profile');
}

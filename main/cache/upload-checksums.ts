/**
 * The publisher's checksums of uploaded files, one row per upload that had one. Rows are only
 * added: a later upload of the same URL adds its own row, and lookups take the newest.
 */
import { durably, type Db, type Statements } from './connection.js';
import { parseRow } from './rows.js';
import { UploadChecksum, type UploadChecksumRepository } from './types.js';

const COLUMNS = ['profile', 'url', 'file_name', 'sha256', 'source_url', 'found_at'] as const satisfies ReadonlyArray<keyof UploadChecksum>;

export class UploadChecksums implements UploadChecksumRepository {
  constructor(
    private readonly db: Db,
    private readonly statements: Statements,
  ) {}

  record(c: UploadChecksum): void {
    const row = UploadChecksum.parse(c);
    durably(this.db, () =>
      this.statements.get(`INSERT INTO upload_checksums (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((col) => `@${col}`).join(', ')})`).run(row),
    );
  }

  latestFor(profile: string, url: string): UploadChecksum | null {
    const row = this.statements
      .get(`SELECT ${COLUMNS.join(', ')} FROM upload_checksums WHERE profile = ? AND url = ? ORDER BY found_at DESC, id DESC LIMIT 1`)
      .get(profile, url);
    return row === undefined ? null : parseRow(UploadChecksum, row, 'an upload checksum');
  }
}

/**
 * The unexpected-answer log: HOSTKEY answers that differed from what ISO Desk expects, as the
 * request's action and the answer's shape (keys and value types, never values). An answer seen
 * again is counted on its entry; only the newest ANSWER_LOG_SIZE entries are kept.
 */
import * as z from 'zod';
import { AnswerNote, Finding } from '../domain/diagnostics.js';
import { writeTransaction, type Db, type Statements } from './connection.js';
import { parseRow } from './rows.js';
import type { AnswerNoteRepository, NewAnswerNote } from './types.js';

export const ANSWER_LOG_SIZE = 200;

const Row = AnswerNote.extend({ findings: z.string().transform((text, ctx) => parseFindings(text, ctx)) });

function parseFindings(text: string, ctx: z.RefinementCtx): Finding[] {
  const parsed = z.array(Finding).safeParse(JSON.parse(text));
  if (parsed.success) return parsed.data;
  ctx.addIssue({ code: 'custom', message: 'findings' });
  return z.NEVER;
}

export class AnswerNotes implements AnswerNoteRepository {
  constructor(
    private readonly db: Db,
    private readonly statements: Statements,
  ) {}

  record(note: NewAnswerNote): void {
    const findings = JSON.stringify(note.findings);
    // The same action, host, findings and shape: the same entry, counted.
    const signature = JSON.stringify([note.action, note.host, findings, note.shape]);
    writeTransaction(this.db, () => {
      this.statements
        .get(
          `INSERT INTO answer_notes (signature, action, host, findings, shape, count, first_at, last_at, version)
           VALUES (@signature, @action, @host, @findings, @shape, 1, @at, @at, @version)
           ON CONFLICT (signature) DO UPDATE SET count = count + 1, last_at = MAX(last_at, excluded.last_at), version = excluded.version`,
        )
        .run({ signature, action: note.action, host: note.host, findings, shape: note.shape, at: note.at, version: note.version });
      this.statements
        .get(`DELETE FROM answer_notes WHERE id NOT IN (SELECT id FROM answer_notes ORDER BY last_at DESC, id DESC LIMIT ${ANSWER_LOG_SIZE})`)
        .run();
    });
  }

  list(): AnswerNote[] {
    return this.statements
      .get('SELECT action, host, findings, shape, count, first_at, last_at, version FROM answer_notes ORDER BY last_at DESC, id DESC')
      .all()
      .map((row) => parseRow(Row, row, 'an unexpected-answer log entry'));
  }

  count(): number {
    const n = this.statements.get('SELECT COUNT(*) FROM answer_notes').pluck().get();
    return typeof n === 'number' ? n : 0;
  }
}

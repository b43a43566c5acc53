/**
 * The list of open decisions (main/api/open-decisions.ts) says what ISO Desk does today from the
 * constants that decide it: the PIN entry lists the actions sent with the PIN and the tries before
 * the lock (fields.ts PIN_ACTIONS, PIN_TRIES), and every constant a decision points at is declared in the
 * file it names — so neither can drift from the code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decisionById, OPEN_DECISIONS } from '../../main/api/open-decisions.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the open decisions', () => {
  it('words the PIN decision from the constants that decide it', () => {
    const pin = decisionById('pin')!;
    // Spelled here, as the docs and issue #9 say them (tests never take the client's tables).
    expect(pin.decision).toContain('"pin" with on, off, reboot, boot_dev, novnc, stop_novnc');
    expect(pin.decision).toContain('after 3 wrong tries');
    expect(pin.where).toBe('main/api/fields.ts PIN_ACTIONS, PIN_REQUIRED_WORDS, PIN_WRONG_WORDS, PIN_LOCKED_WORDS');
  });

  it('points only at constants declared in the files it names', () => {
    const pointed = OPEN_DECISIONS.flatMap((d) => {
      const [file, ...rest] = d.where.split(' ');
      const constants = rest
        .join(' ')
        .split(/,\s*/)
        .filter((name) => /^[A-Z][A-Z0-9_]+$/.test(name));
      return constants.map((name) => ({ id: d.id, file: file!, name }));
    });
    expect(pointed.length).toBeGreaterThan(10);
    for (const { id, file, name } of pointed) {
      const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
      expect(source, `${id}: ${file} ${name}`).toMatch(new RegExp(`\\b(const|function|class)\\s+${name}\\b`));
    }
  });

  it('has a decision for the eq answers, the task results and the power words, each with help for what the check cannot read', () => {
    for (const id of ['eq-answers', 'check-result', 'power-words']) {
      const d = decisionById(id);
      expect(d, id).toBeDefined();
      expect(d!.readOnly).toBe(true);
      expect(d!.help).toMatch(/isodesk doctor --report FILE/);
    }
  });
});

/**
 * The unexpected-answer log in the cache: the same answer is counted on one entry, only the newest
 * 200 entries are kept, and two processes writing at once (the app and the CLI) lose nothing but
 * what the bound drops.
 */
import { describe, expect, it } from 'vitest';
import { openCache, type NewAnswerNote } from '../../main/cache/index.js';
import { ANSWER_LOG_SIZE } from '../../main/cache/answer-notes.js';
import { tempCache } from './temp-cache.js';

const temp = tempCache();

const note = (n: number, at: number): NewAnswerNote => ({
  action: 'uploaded',
  host: 'api.hostkey.com',
  findings: [{ kind: 'unknown_status', decision: 'upload-statuses', point: `upload status "S${'x'.repeat(n % 7)}${n}" is not known` }],
  shape: '{result: string, data: [{id: number, status: string}]}',
  at,
  version: '0.1.0',
});

describe('the unexpected-answer log', () => {
  it('counts an answer seen again on its entry, with when it was first and last seen', () => {
    const { cache } = temp;
    cache.answers.record(note(1, 1000));
    cache.answers.record(note(1, 5000));
    cache.answers.record(note(2, 3000));
    const [newest, older] = cache.answers.list();
    expect(newest).toMatchObject({ action: 'uploaded', count: 2, first_at: 1000, last_at: 5000, findings: note(1, 0).findings });
    expect(older).toMatchObject({ count: 1, first_at: 3000 });
    expect(cache.answers.count()).toBe(2);
  });

  it(`keeps only the newest ${ANSWER_LOG_SIZE} entries`, () => {
    const { cache } = temp;
    for (let i = 0; i < ANSWER_LOG_SIZE + 50; i++) cache.answers.record(note(i, 10_000 + i));
    const kept = cache.answers.list();
    expect(kept).toHaveLength(ANSWER_LOG_SIZE);
    expect(kept[0]!.last_at).toBe(10_000 + ANSWER_LOG_SIZE + 49);
    expect(kept.at(-1)!.last_at).toBe(10_050);
  });

  it('takes writes from two connections at once, as the app and the CLI share the data folder', () => {
    const second = openCache(temp.file);
    try {
      for (let i = 0; i < 60; i++) {
        temp.cache.answers.record(note(i, 20_000 + i));
        second.answers.record(note(1000 + i, 20_000 + i));
      }
      expect(temp.cache.answers.count()).toBe(120);
      expect(second.answers.list().map((n) => n.findings[0]!.point)).toContain(note(1059, 0).findings[0]!.point);
    } finally {
      second.close();
    }
  });
});

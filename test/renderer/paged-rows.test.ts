/**
 * The virtualised list's page cache: rows fetched page by page, answers to old queries dropped,
 * least recently used pages evicted, failures reported once. The fetch function is the module's
 * input; here it answers from an in-memory list when the test says so, which lets every test
 * choose the order in which answers arrive.
 */
import { describe, expect, it } from 'vitest';
import { PagedRows, type Page, type PagedRowsOptions } from '../../renderer/src/lib/paged-rows.js';

interface Query {
  search: string;
}

interface Request {
  query: Query;
  offset: number;
  limit: number;
  answer(): void;
  fail(...err: [unknown?]): void;
}

/** Lets pending promise continuations (the cache's `await fetch`) run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(options: Partial<PagedRowsOptions<Query, string>> = {}) {
  const data = Array.from({ length: 1000 }, (_, i) => `row${i}`);
  const requests: Request[] = [];
  const errors: unknown[] = [];
  let changes = 0;
  const rows = new PagedRows<Query, string>({
    pageSize: 10,
    maxPages: 4,
    maxInFlight: 4,
    prefetch: 0,
    fetch: (query, offset, limit) =>
      new Promise<Page<string>>((resolve, reject) => {
        requests.push({
          query,
          offset,
          limit,
          answer: () => {
            const matched = data.filter((row) => row.includes(query.search));
            resolve({ total: matched.length, rows: matched.slice(offset, offset + limit) });
          },
          // An explicit undefined is passed through: IPC can reject with anything.
          fail: (...err: [unknown?]) => reject(err.length > 0 ? err[0] : new Error('no answer')),
        });
      }),
    onChange: () => {
      changes++;
    },
    onError: (err) => errors.push(err),
    ...options,
  });

  /** Takes the oldest unanswered request (or the one at `offset` / for `search`). */
  const take = (match: { offset?: number; search?: string } = {}): Request => {
    const index = requests.findIndex(
      (r) => (match.offset === undefined || r.offset === match.offset) && (match.search === undefined || r.query.search === match.search),
    );
    if (index < 0) throw new Error(`no request for ${JSON.stringify(match)}; open: ${JSON.stringify(requests.map((r) => [r.query.search, r.offset]))}`);
    return requests.splice(index, 1)[0]!;
  };
  const answer = async (match?: { offset?: number; search?: string }) => {
    take(match).answer();
    await settle();
  };
  const answerAll = async () => {
    while (requests.length > 0) await answer();
  };
  const openOffsets = () => requests.map((r) => r.offset);

  return { data, rows, requests, errors, changes: () => changes, take, answer, answerAll, openOffsets };
}

describe('PagedRows', () => {
  it('says loading and shows nothing until the first page answers, then serves its rows', async () => {
    const t = setup();
    t.rows.setQuery({ search: '' }, { start: 0, end: 15 });

    expect(t.openOffsets()).toEqual([0, 10]);
    expect(t.requests.every((r) => r.limit === 10)).toBe(true);
    expect(t.rows.loading).toBe(true);
    expect(t.rows.ready).toBe(false);
    expect(t.rows.total).toBe(0);
    expect(t.rows.row(0)).toBeUndefined();

    const before = t.changes();
    await t.answer({ offset: 0 });
    expect(t.changes()).toBeGreaterThan(before);
    expect(t.rows.ready).toBe(true);
    expect(t.rows.total).toBe(1000);
    expect(t.rows.row(3)).toBe('row3');
    expect(t.rows.row(12)).toBeUndefined();
    expect(t.rows.loading).toBe(true);

    await t.answer({ offset: 10 });
    expect(t.rows.row(12)).toBe('row12');
    expect(t.rows.loading).toBe(false);
  });

  it('keeps the rows on screen until a newer query answers, and drops answers to older queries', async () => {
    const t = setup();
    t.rows.setQuery({ search: '' }, { start: 0, end: 10 });
    await t.answerAll();

    t.rows.setQuery({ search: 'row1' }, { start: 0, end: 10 });
    t.rows.setQuery({ search: 'row12' }, { start: 0, end: 10 });
    expect(t.rows.row(0)).toBe('row0');
    expect(t.rows.total).toBe(1000);
    expect(t.rows.loading).toBe(true);

    // The newer keystroke answers first; the older one answering late changes nothing.
    await t.answer({ search: 'row12' });
    expect(t.rows.total).toBe(11);
    expect(t.rows.row(0)).toBe('row12');
    await t.answer({ search: 'row1' });
    expect(t.rows.total).toBe(11);
    expect(t.rows.row(0)).toBe('row12');

    // The older keystroke answers first: it is never shown, not even briefly.
    t.rows.setQuery({ search: 'row5' }, { start: 0, end: 10 });
    t.rows.setQuery({ search: 'row7' }, { start: 0, end: 10 });
    await t.answer({ search: 'row5' });
    expect(t.rows.row(0)).toBe('row12');
    expect(t.rows.loading).toBe(true);
    await t.answer({ search: 'row7' });
    expect(t.rows.row(0)).toBe('row7');
    expect(t.rows.total).toBe(111);
    expect(t.rows.loading).toBe(false);
  });

  it('keeps a newer query waiting when a page of the shown one answers meanwhile', async () => {
    const t = setup();
    t.rows.setQuery({ search: '' }, { start: 0, end: 10 });
    await t.answerAll();
    t.rows.setRange(20, 30);

    t.rows.setQuery({ search: 'row4' }, { start: 0, end: 10 });
    await t.answer({ search: '', offset: 20 });
    expect(t.rows.loading).toBe(true);
    await t.answer({ search: 'row4' });
    expect(t.rows.row(0)).toBe('row4');
    expect(t.rows.total).toBe(111);
  });

  it('does not report the failure of a query that was already replaced', async () => {
    const t = setup();
    t.rows.setQuery({ search: '' }, { start: 0, end: 10 });
    await t.answerAll();

    t.rows.setQuery({ search: 'row1' }, { start: 0, end: 10 });
    t.rows.setQuery({ search: 'row2' }, { start: 0, end: 10 });
    t.take({ search: 'row1' }).fail();
    await settle();
    expect(t.errors).toHaveLength(0);
    await t.answer({ search: 'row2' });
    expect(t.rows.row(0)).toBe('row2');
  });

  it('does not let requests of an abandoned query hold the request slots of the current one', async () => {
    const t = setup({ maxInFlight: 1 });
    t.rows.setQuery({ search: 'row1' }, { start: 0, end: 10 });
    expect(t.requests).toHaveLength(1);

    t.rows.setQuery({ search: 'row2' }, { start: 0, end: 10 });
    expect(t.requests.map((r) => r.query.search)).toEqual(['row1', 'row2']);
    await t.answer({ search: 'row2' });
    expect(t.rows.row(0)).toBe('row2');
  });

  it('fetches the pages on screen first, then the prefetch margin, a few at a time', async () => {
    const t = setup({ prefetch: 10, maxInFlight: 2 });
    t.rows.setQuery({ search: '' }, { start: 50, end: 60 });
    expect(t.openOffsets()).toEqual([50, 40]);

    await t.answer({ offset: 50 });
    expect(t.openOffsets()).toEqual([40, 60]);
    await t.answerAll();
    expect(t.rows.row(40)).toBe('row40');
    expect(t.rows.row(69)).toBe('row69');
    expect(t.rows.row(39)).toBeUndefined();

    // Pages already cached are not fetched again.
    t.rows.setRange(50, 60);
    expect(t.requests).toHaveLength(0);
  });

  it('never asks for pages past the last row', async () => {
    const t = setup({ prefetch: 10 });
    t.rows.setQuery({ search: 'row99' }, { start: 0, end: 10 }); // row99, row990..row999: 11 rows
    await t.answerAll();
    expect(t.rows.total).toBe(11);

    t.rows.setRange(5, 40);
    expect(t.requests).toHaveLength(0);
    expect(t.rows.row(10)).toBe('row999');
  });

  it('evicts the least recently used pages beyond maxPages, never the ones on screen', async () => {
    const t = setup({ maxPages: 4 });
    t.rows.setQuery({ search: '' }, { start: 0, end: 10 });
    await t.answerAll();
    for (const start of [10, 20, 30]) {
      t.rows.setRange(start, start + 10);
      await t.answerAll();
    }
    expect([5, 15, 25, 35].map((i) => t.rows.row(i))).toEqual(['row5', 'row15', 'row25', 'row35']);

    // Back to page 0: it becomes the most recently used, so page 1 is the one to go.
    t.rows.setRange(0, 10);
    expect(t.requests).toHaveLength(0);
    t.rows.setRange(40, 50);
    await t.answerAll();
    expect(t.rows.row(5)).toBe('row5');
    expect(t.rows.row(15)).toBeUndefined();
    expect(t.rows.row(45)).toBe('row45');

    // A range wider than the cache keeps every page on screen.
    t.rows.setRange(100, 160);
    await t.answerAll();
    for (let i = 100; i < 160; i++) expect(t.rows.row(i)).toBe(`row${i}`);
  });

  it('reports a failed query once and keeps showing the rows that did load', async () => {
    const t = setup();
    t.rows.setQuery({ search: '' }, { start: 0, end: 10 });
    await t.answerAll();

    t.rows.setQuery({ search: 'row3' }, { start: 0, end: 20 });
    expect(t.requests).toHaveLength(2);
    const failure = new Error('HOSTKEY is unreachable');
    t.take({ search: 'row3', offset: 0 }).fail(failure);
    t.take({ search: 'row3', offset: 10 }).fail();
    await settle();

    expect(t.errors).toEqual([failure]);
    expect(t.rows.row(0)).toBe('row0');
    expect(t.rows.total).toBe(1000);
    // The rows still shown fill the new range instead.
    expect(t.requests.map((r) => [r.query.search, r.offset])).toEqual([['', 10]]);
    await t.answerAll();
    expect(t.rows.row(15)).toBe('row15');
    expect(t.rows.loading).toBe(false);
  });

  it('settles on an empty list when the very first query fails', async () => {
    const t = setup();
    t.rows.setQuery({ search: '' }, { start: 0, end: 10 });
    t.take().fail(undefined);
    await settle();

    expect(t.errors).toHaveLength(1);
    expect(t.errors[0]).toBeInstanceOf(Error);
    expect(t.rows.loading).toBe(false);
    expect(t.rows.ready).toBe(false);
    expect(t.rows.total).toBe(0);
  });

  it('does not retry a failed page while scrolling, but refresh() does', async () => {
    const t = setup();
    t.rows.setQuery({ search: '' }, { start: 0, end: 10 });
    await t.answerAll();

    // Two pages of the shown query fail: one error for the list, not one per page.
    t.rows.setRange(30, 50);
    t.take({ offset: 30 }).fail();
    t.take({ offset: 40 }).fail();
    await settle();
    expect(t.errors).toHaveLength(1);
    t.rows.setRange(30, 50);
    expect(t.requests).toHaveLength(0);

    t.rows.refresh();
    expect(t.openOffsets()).toEqual([30, 40]);
    await t.answerAll();
    expect(t.rows.row(30)).toBe('row30');
    expect(t.rows.row(45)).toBe('row45');
  });

  it('refresh() shows the new answer and keeps the old rows until it arrives', async () => {
    const t = setup();
    t.rows.setQuery({ search: '' }, { start: 0, end: 10 });
    await t.answerAll();

    t.data[0] = 'row0 renamed';
    t.rows.refresh();
    expect(t.rows.row(0)).toBe('row0');
    expect(t.rows.loading).toBe(true);
    await t.answerAll();
    expect(t.rows.row(0)).toBe('row0 renamed');
    expect(t.rows.loading).toBe(false);
  });
});

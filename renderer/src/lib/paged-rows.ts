/**
 * The data behind a virtualised list: rows fetched page by page for the rows on screen, a small
 * LRU page cache, and query generations so that answers to an old query (a previous keystroke)
 * are dropped. IPC calls cannot be cancelled, so "aborting" a stale request means ignoring its
 * answer and not letting it hold one of the in-flight slots of the current query.
 */

export interface Page<T> {
  total: number;
  rows: T[];
}

export type FetchPage<Q, T> = (query: Q, offset: number, limit: number) => Promise<Page<T>>;

export interface PagedRowsOptions<Q, T> {
  fetch: FetchPage<Q, T>;
  /** Called whenever rows, the total or the loading state changed. */
  onChange: () => void;
  /** Called once per query whose fetch failed. */
  onError: (err: unknown) => void;
  pageSize?: number;
  /** Pages kept in memory; the pages on screen are never evicted. */
  maxPages?: number;
  /** Concurrent requests for the current query. */
  maxInFlight?: number;
  /** Rows beyond each end of the range that are fetched ahead, so scrolling meets loaded rows. */
  prefetch?: number;
}

interface Generation<Q, T> {
  id: number;
  query: Q;
  total: number | null;
  pages: Map<number, T[]>;
  inFlight: Set<number>;
  failed: Set<number>;
  reportedError: boolean;
}

export class PagedRows<Q, T> {
  private readonly pageSize: number;
  private readonly maxPages: number;
  private readonly maxInFlight: number;
  private readonly prefetch: number;
  private nextId = 1;
  /** What is on screen. */
  private shown: Generation<Q, T> | null = null;
  /** A newer query waiting for its first page; the shown rows stay until it arrives. */
  private pending: Generation<Q, T> | null = null;
  private rangeStart = 0;
  private rangeEnd = 0;

  constructor(private readonly opts: PagedRowsOptions<Q, T>) {
    this.pageSize = opts.pageSize ?? 100;
    this.maxPages = Math.max(4, opts.maxPages ?? 30);
    this.maxInFlight = opts.maxInFlight ?? 4;
    this.prefetch = opts.prefetch ?? Math.floor(this.pageSize / 2);
  }

  /** Rows of the shown query, or 0 before its first page. */
  get total(): number {
    return this.shown?.total ?? 0;
  }

  /** True until the first answer of the first query, and while a newer query waits for its first page. */
  get loading(): boolean {
    return this.pending !== null || this.shown === null || this.shown.inFlight.size > 0;
  }

  /** True when a query has answered at least once. */
  get ready(): boolean {
    return this.shown !== null && this.shown.total !== null;
  }

  /** The row at `index`, or undefined while its page is still coming. */
  row(index: number): T | undefined {
    const gen = this.shown;
    if (!gen) return undefined;
    return gen.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /**
   * Shows a new query. The current rows stay on screen until the new query's first page arrives,
   * so typing in the search field never flashes an empty list.
   */
  setQuery(query: Q, range?: { start: number; end: number }): void {
    this.pending = this.generation(query);
    if (range) this.setRangeBounds(range.start, range.end);
    this.pump();
    this.opts.onChange();
  }

  /** Fetches the rows on screen again for the same query (after a sync), keeping them shown meanwhile. */
  refresh(): void {
    const query = this.pending?.query ?? this.shown?.query;
    if (query !== undefined) this.setQuery(query);
  }

  /** Tells which rows are on screen (end exclusive, overscan included). */
  setRange(start: number, end: number): void {
    this.setRangeBounds(start, end);
    this.touchVisible();
    this.pump();
  }

  private setRangeBounds(start: number, end: number): void {
    this.rangeStart = Math.max(0, start);
    this.rangeEnd = Math.max(this.rangeStart, end);
  }

  private generation(query: Q): Generation<Q, T> {
    return { id: this.nextId++, query, total: null, pages: new Map(), inFlight: new Set(), failed: new Set(), reportedError: false };
  }

  /** The generation new requests are for: the pending one, else the shown one. */
  private get target(): Generation<Q, T> | null {
    return this.pending ?? this.shown;
  }

  /** The pages of the range plus the prefetch margin, those on screen first. */
  private wantedPages(gen: Generation<Q, T>): number[] {
    const onScreen = this.pagesOf(gen, this.rangeStart, this.rangeEnd);
    const around = this.pagesOf(gen, this.rangeStart - this.prefetch, this.rangeEnd + this.prefetch);
    return [...onScreen, ...around.filter((p) => !onScreen.includes(p))];
  }

  private pagesOf(gen: Generation<Q, T>, start: number, end: number): number[] {
    const first = Math.floor(Math.max(0, start) / this.pageSize);
    let last = Math.floor(Math.max(start, end - 1, 0) / this.pageSize);
    if (gen.total !== null) last = Math.min(last, Math.max(0, Math.ceil(gen.total / this.pageSize) - 1));
    const pages: number[] = [];
    for (let p = first; p <= last; p++) pages.push(p);
    return pages;
  }

  private pump(): void {
    const gen = this.target;
    if (!gen) return;
    for (const page of this.wantedPages(gen)) {
      if (gen.inFlight.size >= this.maxInFlight) break;
      if (gen.pages.has(page) || gen.inFlight.has(page) || gen.failed.has(page)) continue;
      void this.load(gen, page);
    }
  }

  private async load(gen: Generation<Q, T>, page: number): Promise<void> {
    gen.inFlight.add(page);
    let answer: Page<T> | null = null;
    let failure: unknown = null;
    try {
      answer = await this.opts.fetch(gen.query, page * this.pageSize, this.pageSize);
    } catch (err) {
      failure = err ?? new Error('The page could not be loaded.');
    }
    gen.inFlight.delete(page);
    if (!this.isLive(gen)) return;
    if (answer) {
      gen.total = answer.total;
      gen.pages.set(page, answer.rows);
      if (gen === this.pending) this.promote(gen);
      this.evict(gen);
    } else {
      gen.failed.add(page);
      if (!gen.reportedError) {
        gen.reportedError = true;
        this.opts.onError(failure);
      }
      // A query that cannot load must not replace rows that did; with nothing shown it becomes
      // the (empty) shown query so the list stops saying "loading".
      if (gen === this.pending) {
        if (this.shown === null) this.promote(gen);
        else this.pending = null;
      }
    }
    this.pump();
    this.opts.onChange();
  }

  private isLive(gen: Generation<Q, T>): boolean {
    return gen === this.pending || gen === this.shown;
  }

  private promote(gen: Generation<Q, T>): void {
    this.shown = gen;
    this.pending = null;
  }

  /** Marks the pages on screen as most recently used (Map order is the LRU order). */
  private touchVisible(): void {
    const gen = this.shown;
    if (!gen) return;
    for (const page of this.wantedPages(gen)) {
      const rows = gen.pages.get(page);
      if (rows) {
        gen.pages.delete(page);
        gen.pages.set(page, rows);
      }
    }
  }

  private evict(gen: Generation<Q, T>): void {
    if (gen.pages.size <= this.maxPages) return;
    const keep = new Set(this.wantedPages(gen));
    for (const page of gen.pages.keys()) {
      if (gen.pages.size <= this.maxPages) break;
      if (!keep.has(page)) gen.pages.delete(page);
    }
  }
}

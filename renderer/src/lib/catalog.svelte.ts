/**
 * The catalog the list shows: the filters people set (search, sort, size) and the rows of the
 * chosen server, read page by page from main's cache. Searching never waits for the network;
 * `sync` refreshes the cache from HOSTKEY and then re-reads the rows on screen.
 */
import type { CatalogChanges, CatalogQuery, EventPayload, IsoDeskApi, SortKey } from '../../../main/ipc/contract.js';
import type { IsoImage } from '../../../main/domain/models.js';
import { EarlyAnswer, FirstRows, rememberShownServer } from './first-rows.js';
import { PagedRows } from './paged-rows.js';

const GIB = 1024 ** 3;

export const SIZE_FILTERS = [
  { id: 'any', label: 'Any size', min: null, max: null },
  { id: 'under-1', label: 'Under 1 GiB', min: null, max: GIB },
  { id: '1-5', label: '1–5 GiB', min: GIB, max: 5 * GIB },
  { id: '5-10', label: '5–10 GiB', min: 5 * GIB, max: 10 * GIB },
  { id: 'over-10', label: 'Over 10 GiB', min: 10 * GIB, max: null },
] as const satisfies readonly { id: string; label: string; min: number | null; max: number | null }[];
export type SizeFilterId = (typeof SIZE_FILTERS)[number]['id'];

/** Columns people expect newest or biggest first when they first sort by them. */
const DESCENDING_FIRST = new Set<SortKey>(['size', 'created_at']);

type Filters = Omit<CatalogQuery, 'offset' | 'limit'>;
type QueryAnswer = Awaited<ReturnType<IsoDeskApi['catalog']['query']>>;

/** Rows per page: the first page covers a window's first screen and the rows read ahead of it. */
const PAGE_SIZE = 100;

export class Catalog {
  search = $state('');
  sort = $state<SortKey>('name');
  dir = $state<'asc' | 'desc'>('asc');
  size = $state<SizeFilterId>('any');
  /** Only the images the last sync found new or changed. */
  changedOnly = $state(false);
  /** What the last sync of the shown server changed, against the sync before it. */
  changes = $state<CatalogChanges | null>(null);
  /** Bumped whenever rows, the total or the loading state change (the page cache is plain data). */
  revision = $state(0);
  syncedAt = $state<number | null>(null);
  syncing = $state(false);
  /** The rows are synced but search and sort are still being built (a first sync, for a second or two). */
  indexing = $state(false);
  /** The last query failure, in case the list cannot show anything. */
  failure = $state<unknown>(null);
  /** What the rest of a start waits for (first-rows.ts). */
  readonly firstRows = new FirstRows();
  private readonly pages: PagedRows<Filters, IsoImage>;
  private readonly syncedServers = new Set<number>();
  private shownServer: number | null = null;
  /** New/Changed marks of the rows fetched so far, by image id (plain data, like the page cache). */
  private readonly marks = new Map<number, 'added' | 'changed'>();
  private changesTicket = 0;
  /** A first page asked for before the session was read (askEarly), used by the first query that is the same. */
  private readonly early = new EarlyAnswer<QueryAnswer>();

  constructor(private readonly api: IsoDeskApi) {
    this.pages = new PagedRows<Filters, IsoImage>({
      pageSize: PAGE_SIZE,
      fetch: async (filters, offset, limit) => {
        const request = { ...filters, offset, limit };
        const answer = await this.early.take(JSON.stringify(request), () => api.catalog.query(request));
        this.syncedAt = answer.synced_at;
        this.indexing = answer.indexing;
        for (const row of answer.rows) {
          const mark = answer.marks[String(row.id)];
          if (mark) this.marks.set(row.id, mark);
          else this.marks.delete(row.id);
        }
        return answer;
      },
      onChange: () => {
        this.revision++;
        if (this.pages.ready) this.firstRows.done();
      },
      onError: (err) => {
        this.failure = err;
        this.firstRows.done();
      },
    });
  }

  get total(): number {
    void this.revision;
    return this.pages.total;
  }

  get loading(): boolean {
    void this.revision;
    return this.pages.loading;
  }

  get ready(): boolean {
    void this.revision;
    return this.pages.ready;
  }

  row(index: number): IsoImage | undefined {
    void this.revision;
    return this.pages.row(index);
  }

  /** "New" or "Changed" since the last sync's baseline, or undefined. */
  mark(id: number): 'added' | 'changed' | undefined {
    void this.revision;
    return this.marks.get(id);
  }

  /** What the last sync changed about this image, if anything. */
  changeOf(id: number) {
    return this.changes?.items.find((c) => c.id === id && c.kind !== 'removed');
  }

  /** Re-reads the shown server's change set (after a sync published a new catalog). */
  async loadChanges(serverId: number): Promise<void> {
    const ticket = ++this.changesTicket;
    const answer = await this.api.catalog.changes({ server_id: serverId });
    if (ticket === this.changesTicket && serverId === this.shownServer) this.changes = answer;
  }

  /** Shows the rows of `serverId` under the current filters, from the top. */
  show(serverId: number, visibleRows: number): void {
    this.failure = null;
    if (this.shownServer !== serverId) {
      this.changes = null;
      this.marks.clear();
      void this.firstRows.then(() => this.loadChanges(serverId)).catch(() => undefined);
      rememberShownServer(serverId);
    }
    this.shownServer = serverId;
    this.pages.setQuery(this.filtersFor(serverId), { start: 0, end: visibleRows });
  }

  /**
   * Asks for the first page of `serverId` under the current filters now, before the session and
   * the servers are read; the list's first query uses the answer when it is the same query (the
   * same server still shown first), else it is dropped.
   */
  askEarly(serverId: number): void {
    const request = { ...this.filtersFor(serverId), offset: 0, limit: PAGE_SIZE };
    this.early.ask(JSON.stringify(request), this.api.catalog.query(request));
  }

  private filtersFor(serverId: number): Filters {
    const filter = SIZE_FILTERS.find((f) => f.id === this.size) ?? SIZE_FILTERS[0];
    return {
      server_id: serverId,
      search: this.search.trim(),
      sort: this.sort,
      dir: this.dir,
      size_min: filter.min,
      size_max: filter.max,
      changed: this.changedOnly,
    };
  }

  setRange(start: number, end: number): void {
    this.pages.setRange(start, end);
  }

  sortBy(key: SortKey): void {
    if (this.sort === key) {
      this.dir = this.dir === 'asc' ? 'desc' : 'asc';
    } else {
      this.sort = key;
      this.dir = DESCENDING_FIRST.has(key) ? 'desc' : 'asc';
    }
  }

  /** True when this server's catalog was not refreshed from HOSTKEY during this session. */
  needsSync(serverId: number): boolean {
    return !this.syncedServers.has(serverId);
  }

  /** Refreshes the server's catalog from HOSTKEY; answers whether the network was unreachable. */
  async sync(serverId: number): Promise<{ offline: boolean }> {
    this.syncing = true;
    try {
      const answer = await this.api.catalog.sync({ server_id: serverId });
      this.syncedServers.add(serverId);
      this.syncedAt = answer.synced_at;
      this.pages.refresh();
      if (serverId === this.shownServer) void this.loadChanges(serverId).catch(() => undefined);
      return { offline: answer.offline };
    } finally {
      this.syncing = false;
    }
  }

  /** Main published the shown server's catalog, or finished its search: show what is there now. */
  onChanged = (change: EventPayload<'catalog/changed'>): void => {
    if (change.server_id !== this.shownServer) return;
    this.syncedAt = change.synced_at;
    this.indexing = change.indexing;
    this.pages.refresh();
    if (!change.indexing) void this.loadChanges(change.server_id).catch(() => undefined);
  };

  /** The first `limit` ISOs of a server's cached catalog matching `search`, by name (pickers use it). */
  async find(serverId: number, search: string, limit: number): Promise<{ rows: IsoImage[]; total: number }> {
    const answer = await this.api.catalog.query({ server_id: serverId, search: search.trim(), limit });
    return { rows: answer.rows, total: answer.total };
  }

  /** Re-reads the rows on screen from the cache (after an admin change). */
  reload(): void {
    this.pages.refresh();
  }

  forgetSyncs(): void {
    this.syncedServers.clear();
  }
}

/** Servers, the ISO catalog of each server, and the history of each ISO. */
import type { Cache } from '../cache/index.js';
import type { ParsedRequest, Response } from '../ipc/contract.js';
import type { Clock } from '../api/clock.js';
import type { CatalogSyncs } from '../sync/catalog-sync.js';
import type { SessionService } from './session.js';
import { cachedRead } from './cached-read.js';
import { AppError } from '../domain/errors.js';

export class CatalogService {
  constructor(
    private readonly cache: Cache,
    private readonly session: SessionService,
    private readonly syncs: CatalogSyncs,
    private readonly clock: Clock,
  ) {}

  async servers(req: ParsedRequest<'servers/list'>): Promise<Response<'servers/list'>> {
    const profile = this.session.active().name;
    return cachedRead({
      refresh: req.refresh,
      read: () => this.cache.servers.list(profile),
      fetch: async () => {
        const { client } = await this.session.requireClient();
        const servers = await client.listServers();
        this.cache.servers.replace(profile, servers, this.clock.now());
      },
    });
  }

  async sync(req: ParsedRequest<'catalog/sync'>): Promise<Response<'catalog/sync'>> {
    const profile = this.session.active().name;
    const result = await cachedRead({
      refresh: true,
      read: () => ({ items: [], synced_at: this.cache.catalog.syncedAt(profile, req.server_id) }),
      fetch: async () => {
        const { client } = await this.session.requireClient();
        // The answer is read and stored by a worker thread: this thread stays free for every other call.
        const target = { profile, serverId: req.server_id, syncedAt: this.clock.now() };
        await client.listIsoWith(req.server_id, (answer, inspected) => this.syncs.fromAnswer(answer, target, inspected));
      },
    });
    return { count: this.cache.catalog.count(profile, req.server_id), synced_at: result.synced_at, offline: result.offline };
  }

  /** Always from the cache: search and sort answer per keystroke, online or not. */
  query(req: ParsedRequest<'catalog/query'>): Response<'catalog/query'> {
    const profile = this.session.active().name;
    const page = this.cache.catalog.query(profile, req);
    // Indexes missing with no sync building them (the app died half-way): build them now.
    if (page.indexing) void this.syncs.ensureIndexed(profile, req.server_id).catch(() => undefined);
    return page;
  }

  /** What the last sync of the server's catalog changed; from the cache, online or not. */
  changes(req: ParsedRequest<'catalog/changes'>): Response<'catalog/changes'> {
    const profile = this.session.active().name;
    const found = this.cache.catalog.changes(profile, req.server_id, req.limit);
    return found
      ? { server_id: req.server_id, ...found }
      : { server_id: req.server_id, synced_at: null, since: null, counts: { added: 0, changed: 0, removed: 0 }, items: [] };
  }

  async history(req: ParsedRequest<'iso/history'>): Promise<Response<'iso/history'>> {
    const profile = this.session.active().name;
    return cachedRead({
      refresh: req.refresh,
      read: () => this.cache.history.list(profile, req.iso_id),
      fetch: async () => {
        const { client } = await this.session.requireClient();
        const entries = await client.history(req.iso_id);
        this.cache.history.replace(profile, req.iso_id, entries, this.clock.now());
      },
    });
  }

  /** After add/update/delete the cached catalogs are stale: re-read the ones the user has. */
  async resyncAll(): Promise<void> {
    const profile = this.session.active().name;
    for (const server of this.cache.servers.list(profile).items) {
      if (this.cache.catalog.syncedAt(profile, server.id) === null) continue;
      await this.sync({ server_id: server.id }).catch((err: unknown) => {
        if (!(err instanceof AppError)) throw err;
      });
    }
  }
}

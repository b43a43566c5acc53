/**
 * What the local cache stores beyond the domain models, and the interface the services call.
 * Everything is scoped by profile name; every list comes back with the time it was last synced
 * (null when it never was), so the app can show cached data offline and say how old it is.
 */
import { z } from 'zod';
import { Task, type HistoryEntry, type IsoImage, type Server } from '../domain/models.js';
import type { CatalogQuery } from '../ipc/contract.js';

/** A profile as the cache keeps it: who the user is at which host. Secrets live in the SecretStore. */
export const StoredProfile = z.object({
  name: z.string().min(1),
  base_url: z.string(),
  role: z.string().nullable(),
  role_type: z.string().nullable(),
  permissions: z.array(z.string()),
  email: z.string().nullable(),
  customer_id: z.number().nullable(),
  auth: z.enum(['key', 'token']),
  signed_in: z.boolean(),
  token_expire: z.number().nullable(),
});
export type StoredProfile = z.output<typeof StoredProfile>;

/** A task in the crash-safe journal: the domain Task plus what the tracker needs to follow it. */
export const TrackedTask = Task.extend({
  /** When to ask HOSTKEY about it next (ms since the epoch). */
  next_poll_at: z.number(),
  /** Raw JSON of the first OK check, stored at once: HOSTKEY forgets the task key after answering it. */
  ok_result: z.string().nullable(),
  /** Consecutive transport failures, which stretch the polling interval. */
  failures: z.number().int().nonnegative(),
});
export type TrackedTask = z.output<typeof TrackedTask>;

/** A catalog query as the IPC contract parses it (defaults filled in). */
export type ParsedCatalogQuery = z.output<typeof CatalogQuery>;

/** A cached list and when it was last replaced from HOSTKEY. */
export interface SyncedList<T> {
  items: T[];
  synced_at: number | null;
}

export interface CatalogPage {
  /** How many ISOs match, whatever the page. */
  total: number;
  rows: IsoImage[];
  synced_at: number | null;
  /**
   * The catalog's search and sort indexes are still being built: it answers in name order only,
   * and a search, a sort or a size filter answers nothing until they are ready.
   */
  indexing: boolean;
}

/** A catalog file a builder finished (its name in the catalog folder), ready to publish. */
export interface BuiltCatalog {
  file: string;
  row_count: number;
}

export interface ProfileRepository {
  /** Creates the profile or updates its fields; its cached lists and tasks stay. */
  upsert(p: StoredProfile): void;
  get(name: string): StoredProfile | null;
  list(): StoredProfile[];
  /** Removes the profile and everything cached for it: lists, catalogs, tasks. */
  remove(name: string): void;
  getActive(): string | null;
  setActive(name: string | null): void;
}

export interface ServerRepository {
  /** Replaces the profile's server list; servers that remain keep the ISO this app mounted on them. */
  replace(profile: string, servers: Server[], syncedAt: number): void;
  list(profile: string): SyncedList<Server>;
  /** Records the ISO mounted on a cached server (null after an unmount); unknown servers are ignored. */
  setMounted(profile: string, serverId: number, isoName: string | null): void;
}

export interface CatalogRepository {
  /** Where builders write catalog files (see catalog-files.ts). */
  readonly directory: string;
  /** Builds and publishes in the calling thread. */
  replace(profile: string, serverId: number, isos: IsoImage[], syncedAt: number): void;
  /** Makes a built file the server's catalog, in one short transaction; the previous file is deleted. */
  publish(profile: string, serverId: number, built: BuiltCatalog, syncedAt: number): void;
  query(profile: string, q: ParsedCatalogQuery): CatalogPage;
  get(profile: string, serverId: number, isoId: number): IsoImage | null;
  count(profile: string, serverId: number): number;
  /** When this server's catalog was last synced; null if never. */
  syncedAt(profile: string, serverId: number): number | null;
  /** The catalog's file when its search and sort indexes are missing (its build stopped after the rows). */
  unindexedFile(profile: string, serverId: number): string | null;
  /** Deletes a built file that was not published. */
  discard(built: BuiltCatalog): void;
}

export interface UploadRepository {
  /** `email` null: the profile's own uploads; otherwise the uploads staff listed for that customer. */
  replace(profile: string, email: string | null, items: IsoImage[], syncedAt: number): void;
  list(profile: string, email: string | null): SyncedList<IsoImage>;
}

export interface HistoryRepository {
  replace(profile: string, isoId: number, entries: HistoryEntry[], syncedAt: number): void;
  /** Newest first, by date then id. */
  list(profile: string, isoId: number): SyncedList<HistoryEntry>;
}

export interface TaskRepository {
  /** Durable before it returns (fsynced), even against power loss; a key seen again starts afresh. */
  insert(t: TrackedTask): void;
  /** Applies the patch and returns the task as stored, or null when there is no such task. */
  update(key: string, patch: Partial<TrackedTask>): TrackedTask | null;
  get(key: string): TrackedTask | null;
  /** Newest first. */
  list(profile?: string): TrackedTask[];
  /** Running tasks whose next_poll_at <= now, the longest-waiting first. */
  due(now: number, limit: number): TrackedTask[];
  /** The earliest next_poll_at of a running task; null when nothing runs. */
  nextDueAt(): number | null;
  countRunning(): number;
  /** Deletes tasks that ended (any state but running); returns how many. */
  clearFinished(profile?: string): number;
}

export interface Cache {
  readonly file: string;
  profiles: ProfileRepository;
  servers: ServerRepository;
  catalog: CatalogRepository;
  uploads: UploadRepository;
  history: HistoryRepository;
  tasks: TaskRepository;
  close(): void;
}

export interface OpenCacheOptions {
  /** Path of a better-sqlite3 binary built for this runtime (the Electron shell passes one). */
  nativeBinding?: string | undefined;
  /** Read only: no migrations, no writes; the file must exist at the current schema version. */
  readonly?: boolean | undefined;
}

/**
 * What the local cache stores beyond the domain models, and the interface the services call.
 * Everything is scoped by profile name; every list comes back with the time it was last synced
 * (null when it never was), so the app can show cached data offline and say how old it is.
 */
import type { AnswerNote, Finding } from '../domain/diagnostics.js';
import * as z from 'zod';
import { Task, type HistoryEntry, type IsoImage, type Server } from '../domain/models.js';
import type { CatalogChange, CatalogQuery, ChangeKind } from '../ipc/contract.js';

/**
 * A profile as the cache keeps it: who the user is at which host. Secrets, and with them whether
 * the profile is signed in and until when, live in the SecretStore.
 */
export const StoredProfile = z.object({
  name: z.string().min(1),
  base_url: z.string(),
  role: z.string().nullable(),
  role_type: z.string().nullable(),
  permissions: z.array(z.string()),
  email: z.string().nullable(),
  customer_id: z.number().nullable(),
  /** How the profile last signed in. */
  auth: z.enum(['key', 'token']),
});
export type StoredProfile = z.output<typeof StoredProfile>;

/** A task in the crash-safe journal: the domain Task plus what the trackers need to follow it. */
export const TrackedTask = Task.extend({
  /** When to ask HOSTKEY about it next (ms since the epoch). */
  next_poll_at: z.number(),
  /** Raw JSON of the first OK check, stored at once: HOSTKEY forgets the task key after answering it. */
  ok_result: z.string().nullable(),
  /** Consecutive transport failures, which stretch the polling interval. */
  failures: z.number().int().nonnegative(),
  /** The process sending or polling it right now (see main/tasks/claims.ts), and until when. */
  claim_owner: z.string().nullable(),
  claim_until: z.number().nullable(),
  /** Counts writes, so that other processes notice a change. */
  rev: z.number().int().nonnegative(),
  /** Which sending of its job step this is (1, 2… after retries); null outside jobs. */
  job_attempt: z.number().int().positive().nullish(),
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
  /** The rows of the page the last sync found added or changed, by id (see catalog-changes.ts). */
  marks: Record<string, 'added' | 'changed'>;
}

/** What the last sync of a server's catalog changed, against the sync before it. */
export interface CatalogChanges {
  synced_at: number;
  /** When the sync compared with was; null: there was none to compare with (a first sync). */
  since: number | null;
  counts: Record<ChangeKind, number>;
  /** Added, then changed, then removed, each by id; at most the limit asked for. */
  items: CatalogChange[];
}

/** The file a server's catalog is published in, and when it was synced. */
export interface PublishedCatalog {
  file: string;
  synced_at: number;
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
  /**
   * Makes a built file the server's catalog, in one short transaction; the previous file is
   * deleted off this thread, and the promise says when.
   */
  publish(profile: string, serverId: number, built: BuiltCatalog, syncedAt: number): Promise<void>;
  query(profile: string, q: ParsedCatalogQuery): CatalogPage;
  /** The change set of the server's catalog (at most `limit` changes); null when nothing is cached. */
  changes(profile: string, serverId: number, limit: number): CatalogChanges | null;
  /** The server's published catalog file, which a new sync is compared with. */
  published(profile: string, serverId: number): PublishedCatalog | null;
  get(profile: string, serverId: number, isoId: number): IsoImage | null;
  /** The image with this file name (any case) in the server's cached catalog; null when none. */
  findByFileName(profile: string, serverId: number, isoName: string): IsoImage | null;
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
  /** The images whose history is cached, the most recently read first. */
  cachedIds(profile: string): number[];
}

/** What a write may change; identity and bookkeeping (key, rev) are the repository's. */
export type TaskPatch = Partial<Omit<TrackedTask, 'key' | 'rev'>>;

/** The condition a journal write is made under (besides the task still running). */
export interface TaskCondition {
  /** Only while this process holds the task's claim. */
  owner?: string;
  /** Only while it is an intent: HOSTKEY's acceptance not yet recorded. */
  intent?: boolean;
}

export interface ClaimRequest {
  owner: string;
  now: number;
  /** How long the claim holds. */
  claimMs: number;
  /** Owners known to be dead: their claims count as expired. */
  dead: readonly string[];
}

/**
 * What the poller may do now: poll the claimed tasks (one request: a task check, or one upload
 * list answering for every claimed upload); wait for the shared request budget; or sleep until
 * `nextAt` (null: nothing runs).
 */
export type ClaimAnswer = { kind: 'claimed'; tasks: TrackedTask[] } | { kind: 'wait'; waitMs: number } | { kind: 'idle'; nextAt: number | null };

export interface TaskRepository {
  /** A new row, durable before it returns (fsynced, even against power loss); never overwrites one. */
  insert(t: TrackedTask): void;
  /**
   * Applies the patch if the task is still running and `cond` holds, all in one write transaction;
   * returns the task as stored, or null when it was not written (no such task, already ended,
   * claimed by another process...). Durable when it records an outcome, an OK or an acceptance.
   */
  advance(key: string, patch: TaskPatch, cond?: TaskCondition): TrackedTask | null;
  get(key: string): TrackedTask | null;
  /** Newest first. */
  list(profile?: string): TrackedTask[];
  /** Every task's key and write count: what a watcher compares to notice changes. */
  revisions(): Map<string, number>;
  /** SQLite's data_version: changes when another connection commits to the file. */
  dataVersion(): number;
  /** Atomically takes a request from the shared budget and claims the longest-waiting due task. */
  claimNext(req: ClaimRequest): ClaimAnswer;
  /** Atomically takes one request from the shared budget: 0 when taken, else how long to wait (ms). */
  takeToken(now: number): number;
  /** Sets the shared polling budget: requests per second and the largest burst. */
  setBudget(rate: number, burst: number): void;
  /** Who holds an unexpired claim on a running task. */
  claimOwners(now: number): string[];
  /** Intents whose sender is gone (claim expired, or held by a dead owner): their answer was never recorded. */
  abandonedIntents(now: number, dead: readonly string[]): TrackedTask[];
  /** Deletes an intent this owner is sending whose request HOSTKEY refused: nothing happened. */
  withdraw(key: string, owner: string): boolean;
  /** Lets go of every claim this owner holds on accepted tasks (a poller that stops). */
  release(owner: string): void;
  countRunning(): number;
  /** Deletes tasks that ended (any state but running), except steps of jobs that have not ended; returns how many. */
  clearFinished(profile?: string): number;
  /** The steps' tasks of a job, every attempt, in step and attempt order. */
  forJob(jobKey: string): TrackedTask[];
}

/** The checksum a publisher lists for an upload's file, kept with the upload by its URL (expected, never verified). */
export const UploadChecksum = z.object({
  profile: z.string().min(1),
  url: z.string().min(1),
  file_name: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  source_url: z.string().min(1),
  found_at: z.number().int(),
});
export type UploadChecksum = z.output<typeof UploadChecksum>;

export interface UploadChecksumRepository {
  /** Durable before it returns: written before HOSTKEY is asked to download the file. */
  record(c: UploadChecksum): void;
  /** The newest checksum recorded for uploads of this URL. */
  latestFor(profile: string, url: string): UploadChecksum | null;
}

/** A job as its table keeps it (main/cache/jobs.ts); main/tasks/jobs.ts reads its state from it, its steps' tasks and decisions. */
export const JobPlanStep = z.object({
  action: z.enum(['mount_iso', 'unmount_iso', 'boot_dev', 'on', 'off', 'reboot', 'status']),
  media: z.enum(['cd', 'disk', 'pxe']).nullable(),
  iso_name: z.string().nullable(),
});
export type JobPlanStep = z.output<typeof JobPlanStep>;

export const JobRow = z.object({
  key: z.string(),
  profile: z.string(),
  kind: z.enum(['boot_iso', 'back_to_disk', 'power_on', 'power_off', 'reboot', 'power_status']),
  server_id: z.number().int(),
  hostname: z.string().nullable(),
  main_ip: z.string().nullable(),
  iso_name: z.string().nullable(),
  plan: z.array(JobPlanStep).min(1),
  created_at: z.number(),
  updated_at: z.number(),
  ended: z.enum(['succeeded', 'cancelled']).nullable(),
  finished_at: z.number().nullable(),
  /** HOSTKEY asked for the account PIN before the current step could be sent. */
  waiting_pin: z.boolean(),
  /** Why it waits, in HOSTKEY's words (the PIN answer), or how it ended. */
  note: z.string().nullable(),
  /** The process driving it (sending its steps), and until when; see main/tasks/claims.ts. */
  claim_owner: z.string().nullable(),
  claim_until: z.number().nullable(),
  rev: z.number().int().nonnegative(),
});
export type JobRow = z.output<typeof JobRow>;

export const JobDecision = z.object({
  job_key: z.string(),
  step: z.number().int().nonnegative(),
  attempt: z.number().int().nonnegative(),
  decision: z.enum(['retry', 'skip', 'resume']),
  at: z.number(),
});
export type JobDecision = z.output<typeof JobDecision>;

export interface JobRepository {
  /** A new job, durable before it returns, claimed by its creator. */
  insert(job: JobRow): void;
  get(key: string): JobRow | null;
  /** Newest first. */
  list(profile?: string): JobRow[];
  /** Takes or renews the claim to drive the job: only when it has not ended and nobody alive holds it. */
  claim(key: string, owner: string, now: number, until: number, dead: readonly string[]): boolean;
  release(key: string, owner: string): void;
  /** Every claim this owner holds. */
  releaseAll(owner: string): void;
  /** Who holds an unexpired claim on a job that has not ended. */
  claimOwners(now: number): string[];
  setWaitingPin(key: string, waiting: boolean, note: string | null, at: number): JobRow | null;
  /** Ends the job once (durable); null when it had already ended. */
  end(key: string, ended: 'succeeded' | 'cancelled', note: string | null, at: number): JobRow | null;
  /** Records a decision (durable; the same decision twice is one). */
  decide(d: JobDecision): void;
  decisions(key: string): JobDecision[];
  revisions(): Map<string, number>;
  /** Deletes jobs that ended and their steps' tasks; returns how many jobs. */
  clearEnded(profile?: string): number;
}

/** What ISO Desk last learnt of one server's power, boot device and mounted ISO. */
export const ServerPowerRow = z.object({
  server_id: z.number().int(),
  power: z.enum(['on', 'off', 'rebooting', 'unknown']).nullable(),
  power_text: z.string().nullable(),
  power_read_at: z.number().nullable(),
  boot_media: z.enum(['cd', 'disk', 'pxe']).nullable(),
  boot_media_at: z.number().nullable(),
  mounted_iso: z.string().nullable(),
  mounted_at: z.number().nullable(),
});
export type ServerPowerRow = z.output<typeof ServerPowerRow>;

export interface ServerPowerRepository {
  get(profile: string, serverId: number): ServerPowerRow | null;
  list(profile: string): ServerPowerRow[];
  /** Each setter keeps the newer fact: a reading older than the one held changes nothing. */
  setPower(profile: string, serverId: number, power: ServerPowerRow['power'], text: string | null, at: number): void;
  setBootMedia(profile: string, serverId: number, media: 'cd' | 'disk' | 'pxe', at: number): void;
  setMounted(profile: string, serverId: number, isoName: string | null, at: number): void;
}

/** One answer for the unexpected-answer log (answer-notes.ts). */
export interface NewAnswerNote {
  action: string;
  host: string;
  findings: Finding[];
  shape: string;
  at: number;
  version: string;
}

export interface AnswerNoteRepository {
  /** Adds the answer, or counts it on its entry when the same one was seen before; keeps the newest 200. */
  record(note: NewAnswerNote): void;
  /** Newest first. */
  list(): AnswerNote[];
  count(): number;
}

export interface Cache {
  readonly file: string;
  /** The data folder could not be written at open: reads work, writes fail with a plain reason. */
  readonly readOnly: boolean;
  /** What the user should know about how the cache was opened (a repair, a read-only folder). */
  readonly notices: readonly string[];
  profiles: ProfileRepository;
  servers: ServerRepository;
  catalog: CatalogRepository;
  uploads: UploadRepository;
  history: HistoryRepository;
  tasks: TaskRepository;
  checksums: UploadChecksumRepository;
  jobs: JobRepository;
  serverPower: ServerPowerRepository;
  answers: AnswerNoteRepository;
  close(): void;
}

export interface OpenCacheOptions {
  /** Path of a better-sqlite3 binary built for this runtime (the Electron shell passes one). */
  nativeBinding?: string | undefined;
  /** Read only: no migrations, no writes; the file must exist at the current schema version. */
  readonly?: boolean | undefined;
}

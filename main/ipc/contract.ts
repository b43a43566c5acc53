/**
 * The IPC contract: every request, response and event between the renderer and the main process,
 * defined once. Main validates requests against it, the preload builds its named functions from
 * it, and the renderer (and the browser harness) get their types from it. Pure data: no Node or
 * Electron imports, so the renderer bundles it as is.
 */
import * as z from 'zod';
import { DeleteOutcome, ErrorInfo, HistoryEntry, IsoImage, Profile, Server, Task, TaskEvent, TaskState } from '../domain/models.js';
import { ConsoleOpened, DueReminder, Job, JobEvent, JobKind, JobPlan, PinStatus, PowerStatus } from '../domain/jobs.js';
import { DoctorReport, KnownHost, SignedIn } from '../domain/diagnostics.js';
import { SORT_KEYS } from './sort-keys.js';
import { Preferences } from '../domain/preferences.js';

/** A profile name as the user types it (the CLI checks --profile with it too). */
export const ProfileName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w .@-]+$/, 'letters, digits, spaces and . _ @ - only');
const ServerId = z.number().int().positive();
const IsoId = z.number().int().positive();
const Empty = z.object({}).strict();
const Nothing = z.null();

export const NetStatus = z.object({
  online: z.boolean(),
  last_ok_at: z.number().nullable(),
  last_error: z.string().nullable(),
});
export type NetStatus = z.output<typeof NetStatus>;

export const SecretStorage = z.object({
  /** encrypted: OS-backed encryption at rest; file: a user-only file (CLI); memory: not persisted. */
  mode: z.enum(['encrypted', 'file', 'memory']),
  note: z.string().nullable(),
});

export const SessionStatus = z.object({
  profiles: z.array(Profile),
  active: z.string().nullable(),
  secrets: SecretStorage,
  /** What the user should know about the data folder (a repaired cache, a read-only folder). */
  notices: z.array(z.string()).default([]),
  net: NetStatus,
  version: z.string(),
  /** The API address every profile is pointed at (--api-url, ISODESK_API_URL); null: each profile's own. */
  api_url: z.string().nullable(),
  /** The HOSTKEY hosts sign-in offers by name, the default first. */
  hosts: z.array(KnownHost).default([]),
});
export type SessionStatus = z.output<typeof SessionStatus>;

export const SortKey = z.enum(SORT_KEYS);
export type SortKey = z.output<typeof SortKey>;

export const CatalogQuery = z
  .object({
    server_id: ServerId,
    search: z.string().max(200).default(''),
    sort: SortKey.default('name'),
    dir: z.enum(['asc', 'desc']).default('asc'),
    size_min: z.number().nonnegative().nullable().default(null),
    size_max: z.number().nonnegative().nullable().default(null),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().positive().max(500).default(100),
    /** Only the images the last sync found added or changed (see CatalogChanges). */
    changed: z.boolean().default(false),
  })
  .strict();
export type CatalogQuery = z.input<typeof CatalogQuery>;

// ── What changed between two syncs of a catalog (issue #11) ──
export const ChangeKind = z.enum(['added', 'changed', 'removed']);
export type ChangeKind = z.output<typeof ChangeKind>;
/** The fields a sync compares, in the order they are shown. */
export const ComparedField = z.enum(['size', 'description', 'iso_name']);
export type ComparedField = z.output<typeof ComparedField>;
/** An image's compared fields at one sync. */
export const ImageFacts = z.object({ size: z.number().nullable(), description: z.string(), iso_name: z.string() });
export type ImageFacts = z.output<typeof ImageFacts>;
export const CatalogChange = z.object({
  id: z.number().int(),
  kind: ChangeKind,
  /** The display name (the file name when there is none), as of the newer sync. */
  name: z.string(),
  /** For a changed image: the fields that differ. */
  fields: z.array(ComparedField),
  /** Null for an added image. */
  before: ImageFacts.nullable(),
  /** Null for a removed image. */
  after: ImageFacts.nullable(),
});
export type CatalogChange = z.output<typeof CatalogChange>;
/** What the last sync of a server's catalog found, against the sync before it. */
export const CatalogChanges = z.object({
  server_id: z.number(),
  /** When the catalog was synced; null when nothing is cached. */
  synced_at: z.number().nullable(),
  /** The sync it was compared with; null when there was none (a first sync). */
  since: z.number().nullable(),
  counts: z.object({ added: z.number(), changed: z.number(), removed: z.number() }),
  /** Added, then changed, then removed, each by id; at most the limit asked for. */
  items: z.array(CatalogChange),
});
export type CatalogChanges = z.output<typeof CatalogChanges>;

/** A list answered from the cache, with when it was last synced and whether the network failed. */
function cached<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), synced_at: z.number().nullable(), offline: z.boolean() });
}

/** What the first bytes of a file say it is (main/sniff). Informs only: it never blocks an upload. */
export const ImageReport = z.object({
  /** iso: an ISO 9660 and/or UDF volume; the others are what people mistake for one. */
  kind: z.enum(['iso', 'html', 'archive', 'disk_image', 'executable', 'unknown']),
  /** The container or table found, when it is not a plain ISO (zip, xz, qcow2, vmdk, mbr, gpt…). */
  format: z.string().nullable(),
  iso9660: z.boolean(),
  /** A UDF volume (Windows install media use UDF for files over 4 GiB). */
  udf: z.boolean(),
  volume_label: z.string().nullable(),
  /** The volume's creation time from the primary volume descriptor, ISO 8601 in UTC. */
  created_at: z.string().nullable(),
  /** Bytes, from the descriptor's block count and block size. */
  volume_size: z.number().nullable(),
  /** El Torito boot entries: null when not an ISO 9660 image; unknown when the catalog could not be read. */
  boot: z.enum(['bios', 'uefi', 'both', 'none', 'unknown']).nullable(),
  /** isohybrid: an ISO that also carries an MBR, so it can be written to a USB stick. */
  hybrid: z.boolean(),
  /** The file's size as the server told it while reading (Content-Range or Content-Length). */
  file_size: z.number().nullable(),
  bytes_read: z.number(),
  /** Whether the server honoured range requests (when not, ISO Desk stops after 64 KiB). */
  ranges: z.boolean(),
  /** Plain-language findings worth a second look (not an ISO, not bootable, truncated…). */
  warnings: z.array(z.string()),
});
export type ImageReport = z.output<typeof ImageReport>;

/** The one-line check a user runs on the server with the ISO mounted; its output must match the expected hash. */
export const VERIFY_COMMAND = 'sha256sum /dev/sr0';

/** The publisher's checksum for the file, found beside it. Expected, never verified by ISO Desk. */
export const ChecksumLookup = z.object({
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  /** The checksum list or file it came from. */
  source_url: z.string().nullable(),
  /** Every address looked at, in order. */
  tried: z.array(z.string()),
  verify_command: z.string(),
  warnings: z.array(z.string()),
});
export type ChecksumLookup = z.output<typeof ChecksumLookup>;

/** The checksum kept with an upload of a URL: what the publisher listed when it was sent. */
export const KeptChecksum = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  source_url: z.string(),
  /** When ISO Desk read it (ms since the epoch). */
  found_at: z.number(),
  verify_command: z.string(),
});
export type KeptChecksum = z.output<typeof KeptChecksum>;

/** An earlier upload of the same link or file name: in the uploaded list, or still in flight in the journal. */
export const UploadMatch = z.object({
  source: z.enum(['uploaded', 'in_flight']),
  match: z.enum(['url', 'file_name']),
  iso_id: z.number().nullable(),
  iso_name: z.string().nullable(),
  url: z.string().nullable(),
  /** HOSTKEY's status word, verbatim. */
  status: z.string().nullable(),
  state: TaskState,
  /** When it was uploaded or started (an API date or ISO 8601). */
  since: z.string().nullable(),
  /** Active on HOSTKEY: it can be mounted instead of uploaded again. */
  mountable: z.boolean(),
  /** Uploaded or still uploading: a new upload would repeat it. Failed uploads are listed for information only. */
  repeat: z.boolean(),
  task_key: z.string().nullable(),
});
export type UploadMatch = z.output<typeof UploadMatch>;

export const UrlProbe = z.object({
  url: z.string(),
  final_url: z.string().nullable(),
  size: z.number().nullable(),
  content_type: z.string().nullable(),
  file_name: z.string().nullable(),
  /** Reasons the URL will not work; empty when it looks fine. */
  problems: z.array(z.string()),
  /** Things worth knowing that do not block the upload (e.g. the HEAD request failed). */
  warnings: z.array(z.string()),
  /** What the file's bytes say; null when they were not read (offline, not https). */
  image: ImageReport.nullable().optional(),
  checksum: ChecksumLookup.nullable().optional(),
  /** Earlier uploads of the same link or file name, newest first; null when they could not be compared (a warning says why). */
  duplicates: z.array(UploadMatch).nullable().optional(),
});
export type UrlProbe = z.output<typeof UrlProbe>;

export const AddIso = z
  .object({
    name: z.string().trim().min(1),
    short_name: z.string().trim().min(1),
    iso_name: z.string().trim().min(1),
    private: z.email(),
    description: z.string().optional(),
    admin_only: z.boolean().optional(),
    status: z.string().optional(),
  })
  .strict();

// ── One activity timeline; upload hygiene (issue #11) ──
/** Where a row of the timeline comes from: HOSTKEY's history of an image, this app's task journal, the uploaded list. */
export const ActivitySource = z.enum(['hostkey', 'journal', 'uploads']);
export const ActivityRow = z.object({
  /** Stable across reads: the source and its own id. */
  id: z.string(),
  /** When it happened (ms since the epoch). */
  at: z.number(),
  /** Where it was read; a journal task HOSTKEY's history also lists is one row with both. */
  sources: z.array(ActivitySource),
  /** HOSTKEY's history type (upload, mount, add, update, delete…) or the journal's task kind. */
  kind: z.string(),
  /** Who: HOSTKEY's login, or the signed-in account for what this app did. */
  login: z.string().nullable(),
  what: z.string(),
  server_id: z.number().nullable(),
  iso_id: z.number().nullable(),
  iso_name: z.string().nullable(),
  /** HOSTKEY's own message, verbatim. */
  message: z.string().nullable(),
  /** How a journal task ended (running while it has not). */
  state: TaskState.nullable(),
});
export type ActivityRow = z.output<typeof ActivityRow>;
export const ActivityQuery = z
  .object({
    /** Only what happened at or after this moment (ms since the epoch). */
    since: z.number().nullable().default(null),
    server_id: ServerId.nullable().default(null),
    iso_id: IsoId.nullable().default(null),
    kind: z.string().trim().min(1).max(40).nullable().default(null),
    /** Re-read the uploaded list and the history of each image from HOSTKEY first. */
    refresh: z.boolean().default(false),
  })
  .strict();
export type ActivityQuery = z.input<typeof ActivityQuery>;
export const ActivityList = z.object({
  rows: z.array(ActivityRow),
  /** Every kind and every image in the timeline before the filters, for pickers. */
  kinds: z.array(z.string()),
  images: z.array(z.object({ iso_id: z.number(), iso_name: z.string().nullable() })),
  /** HOSTKEY could not be reached: what is shown is the cached copy. */
  offline: z.boolean(),
  /** What the user should know: images whose history could not be read, and why. */
  notes: z.array(z.string()),
});
export type ActivityList = z.output<typeof ActivityList>;
export const ActivityExport = z.object({
  file_name: z.string(),
  mime: z.string(),
  rows: z.number(),
  /** Where the desktop app saved it; null when it was not saved here (see content). */
  saved_to: z.string().nullable(),
  /** The file's text, for a front end that saves it itself (the browser harness, the CLI); null once saved. */
  content: z.string().nullable(),
  /** The user closed the save dialog. */
  cancelled: z.boolean(),
});
/** One upload's use, from HOSTKEY's history and the journal. */
export const UploadUse = z.object({
  iso_id: z.number(),
  /** When it was last mounted (ms since the epoch), and on which server when known; null: never, as far as the history tells. */
  last_mounted_at: z.number().nullable(),
  last_mounted_server: z.number().nullable(),
  /** Whether its history could be read (from HOSTKEY or the cache): without it, "never mounted" is not claimed. */
  history_known: z.boolean(),
});
export type UploadUse = z.output<typeof UploadUse>;
export const DeleteResult = z.object({
  id: z.number(),
  ok: z.boolean(),
  status: z.string().nullable(),
  message: z.string().nullable(),
  error: ErrorInfo.nullable(),
});
export type DeleteResult = z.output<typeof DeleteResult>;

/**
 * A channel's request and response schemas, built the first time either is used: building every
 * schema of the contract when it loads costs each start (the CLI's, the page's) tens of ms, and a
 * start uses a few channels (issue #8).
 */
function channel<Req extends z.ZodType, Res extends z.ZodType>(build: () => readonly [Req, Res]): { readonly request: Req; readonly response: Res } {
  let built: readonly [Req, Res] | undefined;
  return {
    get request() {
      return (built ??= build())[0];
    },
    get response() {
      return (built ??= build())[1];
    },
  };
}

// ── Boot from ISO, power, console and PIN (issue #9) ───────────────────────────────────────────
// Jobs are journal entries with steps (main/domain/jobs.ts, main/tasks/jobs.ts). Starting one
// answers at once with the job as written; its progress arrives as 'jobs/changed' events.
const JobKey = z.object({ key: z.string().min(1).max(100) }).strict();
const ServerOnly = z.object({ server_id: ServerId }).strict();
/** The steps a confirmation listed (jobs/plan labels): the job is refused if its plan has changed since. */
const Confirmed = z.array(z.string().max(200)).max(10).optional();

const BOOT_CHANNELS = {
  /** Every job, newest first, each with its steps. */
  'jobs/list': channel(() => [Empty, z.array(Job)]),
  /** What "Boot from ISO", "Back to disk" or a power action would do on the server now: what the confirmation lists. */
  'jobs/plan': channel(() => [
    z.object({ server_id: ServerId, kind: JobKind.exclude(['power_status']), iso_name: z.string().trim().min(1).optional() }).strict(),
    JobPlan,
  ]),
  /** "Boot from ISO": mount_iso → boot_dev media=cd → reboot (jobs/plan). `confirmed`: the step labels the user agreed to. */
  'jobs/bootIso': channel(() => [z.object({ server_id: ServerId, iso_name: z.string().trim().min(1), confirmed: Confirmed }).strict(), Job]),
  /** "Back to disk": unmount_iso → boot_dev media=disk → reboot (jobs/plan). */
  'jobs/backToDisk': channel(() => [z.object({ server_id: ServerId, confirmed: Confirmed }).strict(), Job]),
  /** Power on, off or reboot: a job of one step. */
  'jobs/power': channel(() => [z.object({ server_id: ServerId, action: z.enum(['on', 'off', 'reboot']) }).strict(), Job]),
  /** Sends the stopped step again (after a failure, or an outcome the user has checked). */
  'jobs/retry': channel(() => [JobKey, Job]),
  /** Goes on without the stopped step (e.g. a server that refuses boot_dev). */
  'jobs/skip': channel(() => [JobKey, Job]),
  /** Sends no more steps; a step already sent is still followed to its end. */
  'jobs/cancel': channel(() => [JobKey, Job]),
  /** Sends the next step of a paused job. */
  'jobs/resume': channel(() => [JobKey, Job]),
  /** Clears ended jobs (and their steps' tasks). */
  'jobs/clear': channel(() => [Empty, z.object({ cleared: z.number() })]),
  /** The power state as last read; refresh: asks HOSTKEY (a status job) and answers once it has ended. */
  'power/status': channel(() => [z.object({ server_id: ServerId, refresh: z.boolean().default(false) }).strict(), PowerStatus]),
  /** What is known of every server of the active profile (no requests). */
  'power/list': channel(() => [Empty, z.array(PowerStatus)]),
  /** After a power action: asks HOSTKEY (with backoff) until it says `expected`, or a time limit passes. */
  'power/settle': channel(() => [
    z.object({ server_id: ServerId, expected: z.enum(['on', 'off']) }).strict(),
    z.object({ status: PowerStatus, confirmed: z.boolean() }),
  ]),
  /** Asks HOSTKEY for the noVNC console and opens it in the OS browser, or (copy) puts the link on the clipboard. */
  'console/open': channel(() => [z.object({ server_id: ServerId, copy: z.boolean().default(false) }).strict(), ConsoleOpened]),
  /** Closes the server's noVNC console at HOSTKEY. */
  'console/stop': channel(() => [ServerOnly, z.object({ message: z.string().nullable() })]),
  /** The account PIN, kept in memory for this session only; jobs waiting for it go on. */
  'pin/answer': channel(() => [z.object({ pin: z.string().trim().min(1).max(32) }).strict(), z.object({ resumed: z.number() })]),
  'pin/forget': channel(() => [Empty, Nothing]),
  'pin/status': channel(() => [Empty, PinStatus]),
} as const;

export const CHANNELS = {
  'session/status': channel(() => [Empty, SessionStatus]),
  'session/signIn': channel(() => [
    z
      .object({
        profile: ProfileName,
        base_url: z.url({ protocol: /^https?$/ }),
        api_key: z.string().trim().min(1).max(512).optional(),
        token: z.string().trim().min(1).max(512).optional(),
      })
      .strict()
      .refine((v) => (v.api_key === undefined) !== (v.token === undefined), 'Give either an API key or a token.'),
    SignedIn,
  ]),
  'session/signOut': channel(() => [z.object({ profile: ProfileName.optional() }).strict(), Nothing]),
  'session/switch': channel(() => [z.object({ profile: ProfileName }).strict(), Profile]),
  'session/removeProfile': channel(() => [z.object({ profile: ProfileName }).strict(), Nothing]),
  'net/check': channel(() => [Empty, NetStatus]),
  'servers/list': channel(() => [z.object({ refresh: z.boolean().default(false) }).strict(), cached(Server)]),
  'catalog/sync': channel(() => [
    z.object({ server_id: ServerId }).strict(),
    z.object({ count: z.number(), synced_at: z.number().nullable(), offline: z.boolean() }),
  ]),
  'catalog/query': channel(() => [
    CatalogQuery, // indexing: the catalog was just synced and its search and sort indexes are being built; until
    // they are, it answers in name order only (see main/cache/catalog.ts).
    z.object({
      total: z.number(),
      rows: z.array(IsoImage),
      synced_at: z.number().nullable(),
      indexing: z.boolean(),
      /** Rows of this page the last sync found added or changed, by id. */
      marks: z.record(z.string(), z.enum(['added', 'changed'])),
    }),
  ]),
  'catalog/changes': channel(() => [z.object({ server_id: ServerId, limit: z.number().int().positive().max(10_000).default(1_000) }).strict(), CatalogChanges]),
  'iso/history': channel(() => [z.object({ iso_id: IsoId, refresh: z.boolean().default(false) }).strict(), cached(HistoryEntry)]),
  'iso/mount': channel(() => [z.object({ server_id: ServerId, iso_name: z.string().trim().min(1) }).strict(), Task]),
  'iso/unmount': channel(() => [z.object({ server_id: ServerId }).strict(), Task]),
  'iso/add': channel(() => [AddIso, IsoImage.nullable()]),
  'iso/update': channel(() => [z.object({ id: IsoId, description: z.string().optional(), iso_name: z.string().trim().min(1).optional() }).strict(), Nothing]),
  'iso/del': channel(() => [z.object({ id: IsoId, pending: z.boolean().default(false) }).strict(), DeleteOutcome]),
  'iso/delete': channel(() => [z.object({ id: IsoId }).strict(), DeleteOutcome]),
  'uploads/list': channel(() => [z.object({ email: z.email().optional(), refresh: z.boolean().default(false) }).strict(), cached(IsoImage)]),
  'uploads/probe': channel(() => [z.object({ url: z.string().trim().min(1).max(2048), email: z.email().optional() }).strict(), UrlProbe]),
  /** The publisher's checksum kept with the newest upload of `url` (e.g. an uploaded image's url); null when none was published. */
  'uploads/checksum': channel(() => [z.object({ url: z.string().trim().min(1).max(2048) }).strict(), KeptChecksum.nullable()]),
  'uploads/start': channel(() => [
    z.object({ url: z.string().trim().min(1).max(2048), email: z.email().optional(), customer_id: z.number().int().positive().optional() }).strict(),
    Task,
  ]),
  'uploads/usage': channel(() => [
    z.object({ email: z.email().optional(), refresh: z.boolean().default(false) }).strict(),
    z.object({ items: z.array(UploadUse), offline: z.boolean() }),
  ]),
  /** Deletes several uploads, one after the other (HOSTKEY's del); each answers for itself. */
  'uploads/deleteMany': channel(() => [z.object({ ids: z.array(IsoId).min(1).max(100) }).strict(), z.object({ results: z.array(DeleteResult) })]),
  'activity/list': channel(() => [ActivityQuery, ActivityList]),
  'activity/export': channel(() => [ActivityQuery.extend({ format: z.enum(['csv', 'json']) }).strict(), ActivityExport]),
  'tasks/list': channel(() => [Empty, z.array(Task)]),
  'tasks/clear': channel(() => [Empty, z.object({ cleared: z.number() })]),
  ...BOOT_CHANNELS,
  // The connection check (isodesk doctor, Help → Check connection) and its redacted bug report.
  'doctor/run': channel(() => [Empty, DoctorReport]),
  'doctor/bugReport': channel(() => [z.object({ report: DoctorReport }).strict(), z.object({ file_name: z.string(), text: z.string() })]),
  // The user's preferences main acts on too (the detach reminder notifies while the window is hidden).
  'prefs/get': channel(() => [Empty, Preferences]),
  'prefs/set': channel(() => [Preferences.partial().strict(), Preferences]),
  /** ISOs ISO Desk mounted that have stayed attached longer than the detach reminder setting (issue #9), as of `at` (default: now). */
  'reminders/due': channel(() => [z.object({ at: z.number().int().nonnegative().optional() }).strict(), z.array(DueReminder)]),
} as const;

export type Channel = keyof typeof CHANNELS;
export type Request<C extends Channel> = z.input<(typeof CHANNELS)[C]['request']>;
export type ParsedRequest<C extends Channel> = z.output<(typeof CHANNELS)[C]['request']>;
export type Response<C extends Channel> = z.output<(typeof CHANNELS)[C]['response']>;

/**
 * What the desktop shell asks the renderer to show when the user picks a menu item, a tray item
 * or a notification; the renderer owns the dialogs and views.
 */
export const ShellCommand = z.discriminatedUnion('command', [
  /** "Upload ISO…" (Ctrl/Cmd+U): open the upload dialog. */
  z.object({ command: z.literal('upload') }),
  /** "Search" (Ctrl/Cmd+K): focus the catalog search box. */
  z.object({ command: z.literal('search') }),
  /** "Tasks": show the task centre. */
  z.object({ command: z.literal('tasks') }),
  /** A clicked notification: show the task centre with this task. */
  z.object({ command: z.literal('openTask'), key: z.string() }),
  /** Help → "Check Connection…": run the connection check and show its report. */
  z.object({ command: z.literal('checkConnection') }),
  /** A clicked detach reminder: show this server (its panel offers "Back to disk"). */
  z.object({ command: z.literal('showServer'), server_id: z.number().int() }),
]);
export type ShellCommand = z.output<typeof ShellCommand>;

/** A server's cached catalog changed: a sync published it, or finished its search and sort indexes. */
export const CatalogChanged = z.object({
  profile: z.string(),
  server_id: z.number(),
  count: z.number(),
  synced_at: z.number(),
  /** Its rows are readable but search and sort are still being built. */
  indexing: z.boolean(),
});

export const EVENTS = {
  'tasks/changed': TaskEvent,
  'catalog/changed': CatalogChanged,
  'net/changed': NetStatus,
  'shell/command': ShellCommand,
  /** A job was created, moved on, ended or was cleared (issue #9). */
  'jobs/changed': JobEvent,
  /** What ISO Desk knows of a server's power changed outside a job: following a power action began, read a state, or ended. */
  'power/changed': PowerStatus,
} as const;
export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = z.output<(typeof EVENTS)[E]>;

/** Errors cross IPC as data; the renderer turns them back into AppError. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
export const ResultEnvelope = z.union([z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: ErrorInfo })]);

/** The IPC channel names Electron uses: one invoke channel per contract entry, one for events. */
export const INVOKE_PREFIX = 'isodesk:';
export const EVENT_CHANNEL = 'isodesk:event';

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(CHANNELS, name);
}

/**
 * The API the renderer sees: one named function per channel, grouped by domain
 * (`api.iso.mount(...)`), plus `on(event, listener)`. `RawApi` is what the preload exposes (and
 * the browser harness implements): the same functions answering with a Result, because thrown
 * errors lose their type across contextBridge. `IsoDeskApi` is the unwrapped form that throws
 * AppError.
 */
type Split<C extends string> = C extends `${infer D}/${infer A}` ? [D, A] : never;
type Domains = Split<Channel>[0];
type ActionsOf<D extends string> = { [C in Channel]: Split<C>[0] extends D ? Split<C>[1] : never }[Channel];
type ChannelOf<D extends string, A extends string> = `${D}/${A}` & Channel;
type Subscribe = { on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void };
export type RawApi = {
  [D in Domains]: { [A in ActionsOf<D>]: (req: Request<ChannelOf<D, A>>) => Promise<Result<Response<ChannelOf<D, A>>>> };
} & Subscribe;
export type IsoDeskApi = {
  [D in Domains]: { [A in ActionsOf<D>]: (req: Request<ChannelOf<D, A>>) => Promise<Response<ChannelOf<D, A>>> };
} & Subscribe;

/** Builds the grouped API object from one transport function; preload, harness and renderer share it. */
export function buildApi<Api extends RawApi | IsoDeskApi>(
  invoke: (channel: Channel, request: unknown) => Promise<unknown>,
  subscribe: (event: EventName, listener: (payload: unknown) => void) => () => void,
): Api {
  const api: Record<string, Record<string, (req: unknown) => Promise<unknown>>> = {};
  for (const name of Object.keys(CHANNELS) as Channel[]) {
    const [domain, action] = name.split('/') as [string, string];
    (api[domain] ??= {})[action] = (req: unknown) => invoke(name, req ?? {});
  }
  return Object.assign(api, { on: subscribe }) as unknown as Api;
}

/** Calls a raw API function by channel name (the renderer's unwrapping uses it). */
export function rawFunction(raw: RawApi, channel: Channel): (req: unknown) => Promise<unknown> {
  const [domain, action] = channel.split('/') as [string, string];
  const fn = (raw as unknown as Record<string, Record<string, (req: unknown) => Promise<unknown>>>)[domain]?.[action];
  if (!fn) throw new Error(`The bridge has no function for ${channel}`);
  return fn;
}

/**
 * The IPC contract: every request, response and event between the renderer and the main process,
 * defined once. Main validates requests against it, the preload builds its named functions from
 * it, and the renderer (and the browser harness) get their types from it. Pure data: no Node or
 * Electron imports, so the renderer bundles it as is.
 */
import { z } from 'zod';
import { ErrorInfo, HistoryEntry, IsoImage, Profile, Server, Task, TaskEvent } from '../domain/models.js';

const ProfileName = z
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
  net: NetStatus,
  version: z.string(),
});
export type SessionStatus = z.output<typeof SessionStatus>;

export const SortKey = z.enum(['name', 'iso_name', 'description', 'size', 'created_at']);
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
  })
  .strict();
export type CatalogQuery = z.input<typeof CatalogQuery>;

/** A list answered from the cache, with when it was last synced and whether the network failed. */
function cached<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), synced_at: z.number().nullable(), offline: z.boolean() });
}

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

function channel<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

export const CHANNELS = {
  'session/status': channel(Empty, SessionStatus),
  'session/signIn': channel(
    z
      .object({
        profile: ProfileName,
        base_url: z.url({ protocol: /^https?$/ }),
        api_key: z.string().trim().min(1).max(512).optional(),
        token: z.string().trim().min(1).max(512).optional(),
      })
      .strict()
      .refine((v) => (v.api_key === undefined) !== (v.token === undefined), 'Give either an API key or a token.'),
    Profile,
  ),
  'session/signOut': channel(z.object({ profile: ProfileName.optional() }).strict(), Nothing),
  'session/switch': channel(z.object({ profile: ProfileName }).strict(), Profile),
  'session/removeProfile': channel(z.object({ profile: ProfileName }).strict(), Nothing),
  'net/check': channel(Empty, NetStatus),
  'servers/list': channel(z.object({ refresh: z.boolean().default(false) }).strict(), cached(Server)),
  'catalog/sync': channel(z.object({ server_id: ServerId }).strict(), z.object({ count: z.number(), synced_at: z.number().nullable(), offline: z.boolean() })),
  'catalog/query': channel(
    CatalogQuery,
    // indexing: the catalog was just synced and its search and sort indexes are being built; until
    // they are, it answers in name order only (see main/cache/catalog.ts).
    z.object({ total: z.number(), rows: z.array(IsoImage), synced_at: z.number().nullable(), indexing: z.boolean() }),
  ),
  'iso/history': channel(z.object({ iso_id: IsoId, refresh: z.boolean().default(false) }).strict(), cached(HistoryEntry)),
  'iso/mount': channel(z.object({ server_id: ServerId, iso_name: z.string().trim().min(1) }).strict(), Task),
  'iso/unmount': channel(z.object({ server_id: ServerId }).strict(), Task),
  'iso/add': channel(AddIso, IsoImage.nullable()),
  'iso/update': channel(z.object({ id: IsoId, description: z.string().optional(), iso_name: z.string().trim().min(1).optional() }).strict(), Nothing),
  'iso/del': channel(z.object({ id: IsoId, pending: z.boolean().default(false) }).strict(), Nothing),
  'iso/delete': channel(z.object({ id: IsoId }).strict(), Nothing),
  'uploads/list': channel(z.object({ email: z.email().optional(), refresh: z.boolean().default(false) }).strict(), cached(IsoImage)),
  'uploads/probe': channel(z.object({ url: z.string().trim().min(1).max(2048) }).strict(), UrlProbe),
  'uploads/start': channel(
    z.object({ url: z.string().trim().min(1).max(2048), email: z.email().optional(), customer_id: z.number().int().positive().optional() }).strict(),
    Task,
  ),
  'tasks/list': channel(Empty, z.array(Task)),
  'tasks/clear': channel(Empty, z.object({ cleared: z.number() })),
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

/** Normalises eq.php's server shapes (bare ids, list objects, `show` details) into Server. */
import * as z from 'zod';
import { Id, type Server, type ServerState } from '../domain/models.js';
import type { Body } from './envelope.js';
import { decodeList, decodePart } from './payload.js';

const ListEntry = z.union([
  Id.transform((id) => ({ id, status: null, hostname: null, location: null })),
  z
    .object({
      id: Id,
      status: z.string().nullish(),
      hostname: z.string().nullish(),
      location: z.string().nullish(),
    })
    .transform((o) => ({ id: o.id, status: o.status ?? null, hostname: o.hostname ?? null, location: o.location ?? null })),
]);
export type ServerListEntry = z.output<typeof ListEntry>;

export const ServerIds = z.array(Id);

/** eq.php list's `servers`: required, as an answer without them says nothing about the servers. */
export function parseServerList(body: Body): ServerListEntry[] {
  return decodeList('list', body, ListEntry);
}

const Show = z.object({
  server_data: z.record(z.string(), z.unknown()).nullish(),
  IP: z.array(z.object({ ip: z.string(), main_ip: z.union([z.number(), z.string(), z.boolean()]).nullish() })).nullish(),
  tags: z.array(z.object({ tag: z.string(), value: z.union([z.string(), z.number()]).nullish() })).nullish(),
});

export function stateOf(condition: string | null): ServerState {
  switch ((condition ?? '').toLowerCase()) {
    case 'rent':
      return 'active';
    case 'power_off':
    case 'presale':
      return 'suspended';
    case 'tt':
      return 'pending';
    default:
      return 'unknown';
  }
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null;
}

/** Hostname from tags (`hostname`, else `server_name`), main IP from `main_ip == 1`, else the first. */
export function serverFromShow(entry: ServerListEntry, body: Body): Server {
  const show = decodePart('show', Show, body, '');
  const tags = show.tags ?? [];
  const tag = (name: string) => text(tags.find((t) => t.tag === name)?.value);
  const data = show.server_data ?? {};
  const ips = show.IP ?? [];
  const main = ips.find((i) => i.main_ip === 1 || i.main_ip === '1' || i.main_ip === true) ?? ips[0];
  const condition = text(data.Condition_Component);
  return {
    id: entry.id,
    hostname: tag('hostname') ?? tag('server_name') ?? text(data.hostname) ?? entry.hostname,
    main_ip: main?.ip ?? null,
    location: text(data.location) ?? text(data.Location) ?? entry.location,
    state: condition ? stateOf(condition) : stateOf(entry.status === 'active' ? 'rent' : entry.status),
    condition: condition ?? entry.status,
    mounted_iso: null,
  };
}

/** When `show` is refused for a server, keep what the list said rather than hiding the server. */
export function serverFromList(entry: ServerListEntry): Server {
  return {
    id: entry.id,
    hostname: entry.hostname,
    main_ip: null,
    location: entry.location,
    state: entry.status === 'active' ? 'active' : 'unknown',
    condition: entry.status,
    mounted_iso: null,
  };
}

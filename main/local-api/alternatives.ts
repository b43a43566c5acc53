/**
 * The "alternatives" answer style: the same world, answered in every other shape the docs say
 * HOSTKEY may use (shared/docs/hostkey-api.md, "Response envelopes", "Sign-in", "Servers";
 * shared/docs/hostkey-power-console.md §3) and with what no document mentions but a live API can
 * add — an unknown envelope field, an unknown entry field, an upload status nobody listed. A client
 * must read all of it, and its connection check must say where it fell back and what surprised it.
 *
 * Spelled here from the docs, like the rest of the local API: nothing comes from the client.
 */
import type { Json, JsonObject } from './envelopes.js';
import type { Module } from './spec.js';

export const ANSWER_STYLES = ['documented', 'alternatives'] as const;
export type AnswerStyle = (typeof ANSWER_STYLES)[number];

/** Numbers the docs also show as digit strings ("servers (ids, as numbers or strings)", `token_expire`). */
const AS_TEXT = new Set(['id', 'server_id', 'customer_id', 'size', 'token_expire', 'admin_only']);
/**
 * Upload statuses no document lists, for the in-progress states (only `Pending` is documented, and
 * HOSTKEY's real words are unknown): a client must keep following such an upload.
 */
const UNLISTED_STATUS = { Pending: 'Waiting', Downloading: 'Verifying' } as Readonly<Record<string, string>>;

/** Each value of the answer with ids, sizes and flags written as digit strings, at every depth. */
function numbersAsText(value: Json, key: string | null): Json {
  if (Array.isArray(value)) return value.map((v) => numbersAsText(v, key === 'servers' ? 'id' : null));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, numbersAsText(v, k)]));
  }
  return typeof value === 'number' && key !== null && AS_TEXT.has(key) ? String(value) : value;
}

function entries(answer: JsonObject, field: string): JsonObject[] {
  const list = answer[field];
  return Array.isArray(list) ? list.filter((e): e is JsonObject => e !== null && typeof e === 'object' && !Array.isArray(e)) : [];
}

/** A success answer of `module`'s `action` in the alternative shapes. Refusals are left as they are. */
export function alternativeAnswer(module: Module, action: string, answer: JsonObject): JsonObject {
  if (answer.code !== undefined) return answer;
  let out = numbersAsText(answer, null) as JsonObject;
  if (module === 'auth' && action === 'login' && typeof out.token === 'string') {
    // The nested login ("token at result.token").
    const { result: _ok, ...fields } = out;
    out = { result: fields };
  }
  if (module === 'auth' && action === 'info' && out.result && typeof out.result === 'object' && !Array.isArray(out.result)) {
    const info = out.result;
    // Permission names in the `<module>/<action>` spelling other HOSTKEY pages use.
    if (Array.isArray(info.permissions)) info.permissions = info.permissions.map((p) => (typeof p === 'string' ? p.replace('.', '/') : p));
  }
  if (module === 'eq' && action === 'list') {
    // Bare ids only: hostname, state and location must come from show.
    out.servers = Array.isArray(out.servers) ? out.servers.map((s) => (s !== null && typeof s === 'object' && !Array.isArray(s) ? (s.id ?? null) : s)) : [];
  }
  if (module === 'eq' && action === 'show') {
    // The hostname only in `server_name`, and no IP marked main.
    out.tags = entries(out, 'tags').map((t) => (t.tag === 'hostname' ? { ...t, tag: 'server_name' } : t));
    out.IP = entries(out, 'IP').map((ip) => ({ ...ip, main_ip: 0 }));
  }
  if (module === 'iso' && action === 'uploaded') {
    // The list under list_iso's field name, with an unlisted status.
    out.iso_images = entries(out, 'data').map((e) => {
      const renamed = typeof e.status === 'string' ? UNLISTED_STATUS[e.status] : undefined;
      return renamed === undefined ? e : { ...e, status: renamed };
    });
    delete out.data;
  }
  if (module === 'iso' && action === 'list_iso') {
    out.iso_images = entries(out, 'iso_images').map((e) => ({ ...e, checksum_md5: null }));
  }
  if (module === 'iso' && (action === 'mount_iso' || action === 'unmount_iso') && typeof out.callback === 'string') {
    // The task key under another of the names the docs leave open.
    out.key = out.callback;
    delete out.callback;
  }
  // An envelope field no document mentions.
  return { ...out, request_id: 'trace' };
}

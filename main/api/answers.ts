/**
 * What ISO Desk expected of each answer, and where an answer differed: a documented alternative
 * taken (string ids, nested login, the list in another field), a documented field missing, a
 * field or status the docs never mention. The decoders accept all of these; this reports them, so
 * that the unexpected-answer log and the doctor can tell HOSTKEY's real shapes from the documented
 * ones. Findings name fields, never values; shapes list keys and value types, never values.
 */
import type { Finding } from '../domain/diagnostics.js';
import type { Body } from './envelope.js';
import {
  CHECK_FIELDS,
  CONSOLE_URL_FIELD,
  POWER_ACTIONS,
  TASK_KEY_FIELDS,
  UPLOAD_DONE_STATUSES,
  UPLOAD_FAILED_STATUSES,
  UPLOAD_PENDING_STATUSES,
} from './fields.js';
import { powerStateOf } from './check-result.js';

/** One answer that differed from what ISO Desk expects. `shape` is computed only when needed. */
export interface AnswerReport {
  action: string;
  host: string;
  findings: Finding[];
  shape: () => string;
}
export type AnswerObserver = (report: AnswerReport) => void;

/**
 * id: a number (digits as text is the documented alternative); number: likewise; text: a string;
 * flag: 0 or 1; ids / texts: lists of those; object: any object; any: anything.
 */
type FieldType = 'id' | 'number' | 'text' | 'flag' | 'ids' | 'texts' | 'object' | 'any';
type Fields = Readonly<Record<string, FieldType>>;

interface ListSpec {
  /** Where the list stands, the documented field first. */
  at: readonly string[];
  entry: Fields;
  /** Documented entry fields whose absence is worth noting. */
  documented: readonly string[];
}

interface AnswerSpec {
  fields: Fields;
  list?: ListSpec;
  /** Checks of their own (statuses, task keys, nested login). */
  extra?: (body: Body, out: Findings) => void;
}

/**
 * The findings for a refusal HOSTKEY wrote as JSON: fields no refusal envelope documents, and a
 * message about a PIN (which no document shows; the PIN decision needs its shape). Ordinary
 * refusals ({code, message}, {result, error, code}) are not findings.
 */
export function inspectRefusal(action: string, body: Body): Finding[] {
  const out = new Findings();
  checkFields(body, { ...ENVELOPE, key: 'any' }, '', 'envelope-fields', out);
  const words = ['message', 'error'].map((f) => body[f]).filter((v): v is string => typeof v === 'string');
  if (words.some((w) => /\bpin\b/i.test(w))) out.add('unexpected', 'pin', `HOSTKEY refused ${safeKey(action)} with a message about a PIN`);
  return out.list;
}

/** Every envelope may carry these (shared/docs/hostkey-api.md, "Response envelopes"). */
const ENVELOPE: Fields = { result: 'any', action: 'text', module: 'text', code: 'any', message: 'text', error: 'text' };

/** The ISO image as the seed's list_iso, add and history examples show it (main/domain/models.ts reads the same). */
const ISO_ENTRY: Fields = {
  id: 'id',
  iso_name: 'text',
  name: 'text',
  short_name: 'text',
  description: 'text',
  size: 'number',
  created_at: 'text',
  updated_at: 'text',
  status: 'text',
  private: 'text',
  admin_only: 'flag',
  url: 'text',
};

const LOGIN_FIELDS: Fields = { token: 'text', servers: 'ids', role: 'text', token_expire: 'number', invapi: 'text' };

/** auth.php info's `result`: the documented fields, including the AUTH example's extras. */
const INFO_FIELDS: Fields = {
  token: 'text',
  role: 'text',
  role_type: 'text',
  role_name: 'text',
  permissions: 'texts',
  servers: 'ids',
  email: 'text',
  customer_id: 'id',
  token_expire: 'number',
  show_products: 'any',
  manage_products: 'any',
  show_invoices: 'any',
  manage_orders: 'any',
  ipsubnet_announce: 'any',
};
const INFO_DOCUMENTED = ['role', 'permissions', 'servers', 'email', 'customer_id', 'token_expire'];
const INFO_DECISIONS: Readonly<Record<string, string>> = { role: 'capabilities', permissions: 'capabilities', token_expire: 'token-lifetime' };

/** eq.php show's `server_data.Condition_Component` values the docs name. */
const CONDITIONS = ['rent', 'power_off', 'presale', 'tt'];
const UPLOAD_STATUSES: readonly string[] = [...UPLOAD_PENDING_STATUSES, ...UPLOAD_DONE_STATUSES, ...UPLOAD_FAILED_STATUSES];

/** The check result's fields (§1.1): `scope` is a string or an object, `debug` a string, an object or null. */
const CHECK_RESULT: Fields = { [CHECK_FIELDS.scope]: 'any', [CHECK_FIELDS.context]: 'object', [CHECK_FIELDS.debug]: 'any', key: 'text' };
/** `context` is the original request (action, server id, location) plus extras some actions add (§1.1). */
const CONTEXT: Fields = { action: 'text', id: 'id', location: 'text', media: 'text', iso: 'text' };
/** eq_callback's `result` words: "Not ready" while running, "OK" when done (X-ASYNC), "Error" or the like when it failed. */
const CHECK_STATUSES = ['ok', 'success', 'not ready', 'error', 'failed'];

const SPECS: Readonly<Record<string, AnswerSpec>> = {
  login: { fields: LOGIN_FIELDS, extra: nestedLogin },
  info: { fields: {}, extra: accountInfo },
  logout: { fields: {} },
  update_servers: { fields: { servers: 'any' } },
  list: { fields: { servers: 'any' }, extra: serverList },
  show: { fields: { server_data: 'object', IP: 'any', tags: 'any' }, extra: serverShow },
  list_iso: { fields: { server_id: 'id' }, list: { at: ['iso_images'], entry: ISO_ENTRY, documented: ['iso_name', 'description', 'size', 'created_at'] } },
  uploaded: { fields: {}, list: { at: ['data', 'iso_images'], entry: ISO_ENTRY, documented: ['iso_name', 'status'] }, extra: uploadStatuses },
  history: {
    fields: {},
    list: {
      at: ['data'],
      entry: { id: 'id', date: 'text', description: 'text', type: 'text', login: 'text', message: 'text', iso_name: 'text' },
      documented: ['date', 'type', 'message'],
    },
  },
  add: { fields: { data: 'any' } },
  update: { fields: { data: 'any' } },
  upload: { fields: { data: 'any' } },
  del: { fields: { data: 'any' } },
  delete: { fields: { data: 'any' } },
  mount_iso: { fields: taskKeyFields(), extra: taskKey },
  unmount_iso: { fields: taskKeyFields(), extra: taskKey },
  // eq.php power, boot device and console (hostkey-power-console.md §1, §2): each starts a task.
  ...Object.fromEntries(POWER_ACTIONS.map((a) => [a, { fields: taskKeyFields(), extra: eqTaskKey }])),
  boot_dev: { fields: taskKeyFields(), extra: eqTaskKey },
  stop_novnc: { fields: taskKeyFields(), extra: eqTaskKey },
  // novnc answers the console address at once (the check-result shape, BLOG14-RU) or a task key.
  novnc: { fields: { ...taskKeyFields(), ...CHECK_RESULT }, extra: consoleAnswer },
  check: { fields: CHECK_RESULT, extra: checkResult },
};

function taskKeyFields(): Fields {
  return { data: 'any', ...Object.fromEntries(TASK_KEY_FIELDS.map((f) => [f, 'text' as const])) };
}

/** An eq.php action that starts a task: the key is documented in "callback" (X-POWER, X-ASYNC). */
function eqTaskKey(body: Body, out: Findings): void {
  const found = TASK_KEY_FIELDS.filter((f) => typeof body[f] === 'string');
  if (!found.length) out.add('unexpected', 'eq-answers', `no task key in any of ${TASK_KEY_FIELDS.join(', ')}`);
  else if (found[0] !== TASK_KEY_FIELDS[0]) out.add('fallback', 'eq-answers', `the task key is in "${found[0] ?? ''}", not "${TASK_KEY_FIELDS[0]}"`);
}

/** novnc: the address in `scope` at once, or a task key to ask eq_callback for it; both are read. */
function consoleAnswer(body: Body, out: Findings): void {
  if (typeof body[CONSOLE_URL_FIELD] === 'string') {
    out.add('fallback', 'eq-answers', `novnc answered the console address at once ("${CONSOLE_URL_FIELD}"), not through a task key`);
    checkContext(body, out);
  } else eqTaskKey(body, out);
}

function checkResult(body: Body, out: Findings): void {
  const result = body.result;
  if (typeof result === 'string' && !CHECK_STATUSES.includes(result.trim().toLowerCase())) {
    out.add('unknown_status', 'check-result', `check result ${statusWord(result)} is not known: the task is treated as failed`);
  }
  const scope = body[CHECK_FIELDS.scope];
  if (scope !== undefined && scope !== null && typeof scope !== 'string' && (typeof scope !== 'object' || Array.isArray(scope))) {
    out.add('unexpected', 'check-result', `${CHECK_FIELDS.scope} is ${typeName(scope)}, not text or an object`);
  }
  const context = checkContext(body, out);
  // A status check says the power only in words (§2.1): words that name no state are worth knowing.
  if (context?.action === 'status' && typeof scope === 'string' && powerStateOf(scope) === 'unknown') {
    out.add('unknown_status', 'power-words', "the status check's words name no power state ISO Desk knows: shown verbatim");
  }
}

/** The check result's `context`, its fields checked; null when it has none. */
function checkContext(body: Body, out: Findings): Body | null {
  const context = body[CHECK_FIELDS.context];
  if (typeof context !== 'object' || context === null || Array.isArray(context)) return null;
  checkFields(context as Body, CONTEXT, `${CHECK_FIELDS.context}.`, 'check-result', out);
  return context as Body;
}

/** Findings without repeats: one per point, however many entries show it. */
class Findings {
  readonly list: Finding[] = [];
  private readonly seen = new Set<string>();

  add(kind: Finding['kind'], decision: string, point: string): void {
    const id = `${kind} ${decision} ${point}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.list.push({ kind, decision, point });
  }
}

/** The findings for one decoded success answer; [] when it is exactly what the docs describe. */
export function inspectAnswer(action: string, body: Body): Finding[] {
  const spec = SPECS[action];
  if (!spec) return [];
  const out = new Findings();
  const known = topLevelFields(action, spec);
  checkFields(body, known, '', 'envelope-fields', out);
  if (spec.list) checkList(body, spec.list, out);
  spec.extra?.(body, out);
  return out.list;
}

const TOP_LEVEL = new Map<string, Fields>();

/** The fields an answer to `action` may hold at its top level, built once per action: every answer is inspected. */
function topLevelFields(action: string, spec: AnswerSpec): Fields {
  let known = TOP_LEVEL.get(action);
  if (!known) {
    known = { ...ENVELOPE, ...spec.fields, ...Object.fromEntries((spec.list?.at ?? []).map((f) => [f, 'any' as const])) };
    TOP_LEVEL.set(action, known);
  }
  return known;
}

/** Each field of `object` against its expected type; fields the docs never name are findings. */
function checkFields(object: Body, fields: Fields, where: string, unknownDecision: string, out: Findings): void {
  // Run for every entry of a list: nothing is built for a field that is as expected.
  for (const key of Object.keys(object)) {
    const type = Object.hasOwn(fields, key) ? fields[key] : undefined;
    const value = object[key];
    if (type === undefined) out.add('unknown_field', unknownDecision, `unknown field "${where}${safeKey(key)}"`);
    else if (!expected(type, value)) checkType(type, value, `${where}${safeKey(key)}`, out);
  }
}

/** Values that checkType has nothing to say about, told apart without building their place. */
function expected(type: FieldType, value: unknown): boolean {
  if (value === null || value === undefined || type === 'any') return true;
  switch (type) {
    case 'id':
    case 'number':
      return typeof value === 'number';
    case 'flag':
      return value === 0 || value === 1;
    case 'text':
      return typeof value === 'string' || typeof value === 'number';
    default:
      return false;
  }
}

function checkType(type: FieldType, value: unknown, place: string, out: Findings): void {
  if (value === null || value === undefined || type === 'any') return;
  switch (type) {
    case 'id':
    case 'number':
      if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) out.add('fallback', 'id-types', `${place} as text, not a number`);
      else if (typeof value !== 'number') out.add('unexpected', 'id-types', `${place} is ${typeName(value)}, not a number`);
      return;
    case 'flag':
      if (value !== 0 && value !== 1) out.add(typeof value === 'object' ? 'unexpected' : 'fallback', 'id-types', `${place} is ${typeName(value)}, not 0 or 1`);
      return;
    case 'text':
      if (typeof value !== 'string' && typeof value !== 'number') out.add('unexpected', 'envelope-fields', `${place} is ${typeName(value)}, not text`);
      return;
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) out.add('unexpected', 'envelope-fields', `${place} is ${typeName(value)}, not an object`);
      return;
    case 'ids':
    case 'texts':
      if (!Array.isArray(value)) {
        out.add('unexpected', 'envelope-fields', `${place} is ${typeName(value)}, not a list`);
        return;
      }
      for (const item of value) checkType(type === 'ids' ? 'id' : 'text', item, `${place}[]`, out);
      return;
  }
}

function checkList(body: Body, spec: ListSpec, out: Findings): void {
  const at = spec.at.find((f) => Array.isArray(body[f]));
  if (at === undefined) return;
  if (at !== spec.at[0]) out.add('fallback', 'list-fields', `the list is in "${at}", not "${spec.at[0] ?? ''}"`);
  const shapes = new EntryShapes(spec.entry);
  for (const entry of body[at] as unknown[]) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      out.add('unexpected', 'envelope-fields', `${at}[] holds ${typeName(entry)}, not objects`);
      continue;
    }
    if (shapes.known(entry as Body)) continue;
    checkFields(entry as Body, spec.entry, `${at}[].`, 'entry-fields', out);
    for (const field of spec.documented) {
      const value = (entry as Body)[field];
      if (value === undefined || value === null) out.add('missing', 'entry-fields', `${at}[].${field} is missing`);
    }
    shapes.learn(entry as Body);
  }
}

/**
 * What sets a value apart for the findings about it: as expected (or any value of a field not in
 * the spec), null, digits as text, or (OTHER + typeCode) the type a finding names; ITEMS (a list
 * of ids or texts, whose findings depend on its items) is never taken as known.
 */
const EXPECTED = 0;
const NULL = 1;
const DIGIT_TEXT = 2;
const OTHER = 3;
const ITEMS = -1;

function valueClass(type: FieldType | undefined, value: unknown): number {
  if (value === null || value === undefined) return NULL;
  if (type === undefined || expected(type, value)) return EXPECTED;
  if (type === 'ids' || type === 'texts') return ITEMS;
  if ((type === 'id' || type === 'number') && typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) return DIGIT_TEXT;
  return OTHER + (Array.isArray(value) ? 0 : typeof value === 'object' ? 1 : typeof value === 'string' ? 2 : typeof value === 'number' ? 3 : 4);
}

/** One kind of entry inspected already: its keys in order, and per key the value classes seen (a bit each). */
interface EntryShape {
  keys: string[];
  types: Array<FieldType | undefined>;
  seen: number[];
}

/**
 * Every entry of a list is inspected, at the cost of a look at its keys and value types: an entry
 * whose keys (in order) and value classes match a kind already inspected cannot add a finding
 * (findings name fields and types, never values), so only the first of each kind is inspected in
 * full — a catalog of 100,000 images from one serializer is a handful of kinds.
 */
class EntryShapes {
  private readonly shapes: EntryShape[] = [];

  constructor(private readonly fields: Fields) {}

  /** The entry adds nothing to what entries of its kind said. */
  known(entry: Body): boolean {
    for (const shape of this.shapes) if (this.fits(entry, shape)) return true;
    return false;
  }

  /** Remembers an entry just inspected in full. */
  learn(entry: Body): void {
    const keys = Object.keys(entry);
    let shape = this.shapes.find((s) => s.keys.length === keys.length && s.keys.every((k, i) => k === keys[i]));
    if (!shape) {
      const types = keys.map((k) => (Object.hasOwn(this.fields, k) ? this.fields[k] : undefined));
      shape = { keys, types, seen: keys.map(() => 0) };
      // The first kinds (most entries, usually) are tried first. A list of ever-changing kinds is
      // inspected in full, entry by entry, and the memory stays small.
      if (this.shapes.length === MAX_SHAPES) this.shapes.pop();
      this.shapes.push(shape);
    }
    for (let i = 0; i < keys.length; i++) {
      const c = valueClass(shape.types[i], entry[keys[i]!]);
      if (c >= 0) shape.seen[i]! |= 1 << c;
    }
  }

  private fits(entry: Body, shape: EntryShape): boolean {
    let i = 0;
    for (const key in entry) {
      if (key !== shape.keys[i]) return false;
      const c = valueClass(shape.types[i], entry[key]);
      if (c < 0 || (shape.seen[i]! & (1 << c)) === 0) return false;
      i++;
    }
    return i === shape.keys.length;
  }
}
const MAX_SHAPES = 8;

/** Login answers the token at the top level (AUTH) or inside an object `result`. */
function nestedLogin(body: Body, out: Findings): void {
  const inner = typeof body.result === 'object' && body.result !== null && !Array.isArray(body.result) ? (body.result as Body) : null;
  if (inner) {
    out.add('fallback', 'login-shape', 'the token is inside "result" (nested login), not at the top level');
    checkFields(inner, LOGIN_FIELDS, 'result.', 'envelope-fields', out);
  }
  if (typeof body.invapi === 'string' || typeof inner?.invapi === 'string')
    out.add('fallback', 'account-host', 'login named the account\'s own host ("invapi")');
}

function accountInfo(body: Body, out: Findings): void {
  const inner = body.result;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) return;
  const info = inner as Body;
  checkFields(info, INFO_FIELDS, 'result.', 'envelope-fields', out);
  for (const field of INFO_DOCUMENTED) {
    if (info[field] === undefined || info[field] === null) out.add('missing', INFO_DECISIONS[field] ?? 'envelope-fields', `result.${field} is missing`);
  }
  if (Array.isArray(info.permissions) && info.permissions.length === 0) out.add('missing', 'capabilities', 'result.permissions is an empty list');
}

function serverList(body: Body, out: Findings): void {
  if (!Array.isArray(body.servers)) return;
  for (const entry of body.servers) {
    if (typeof entry === 'number') out.add('fallback', 'server-list', 'servers listed as bare ids: hostname, state and location come from show');
    else if (typeof entry === 'string') {
      out.add('fallback', 'server-list', 'servers listed as bare ids: hostname, state and location come from show');
      checkType('id', entry, 'servers[]', out);
    } else if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
      checkFields(entry as Body, { id: 'id', status: 'text', hostname: 'text', location: 'text' }, 'servers[].', 'entry-fields', out);
    } else out.add('unexpected', 'server-list', `servers[] holds ${typeName(entry)}`);
  }
}

function serverShow(body: Body, out: Findings): void {
  const data = body.server_data;
  const condition = typeof data === 'object' && data !== null ? (data as Body).Condition_Component : undefined;
  if (condition === undefined || condition === null)
    out.add('missing', 'server-show', 'server_data.Condition_Component is missing: the server state is unknown');
  else if (typeof condition !== 'string' || !CONDITIONS.includes(condition.toLowerCase())) {
    out.add('unknown_status', 'server-show', `server_data.Condition_Component is ${statusWord(condition)}, not one of rent, power_off, presale, TT`);
  }
  const tags = Array.isArray(body.tags) ? body.tags.filter((t): t is Body => typeof t === 'object' && t !== null) : [];
  if (!tags.some((t) => t.tag === 'hostname')) {
    out.add(
      tags.some((t) => t.tag === 'server_name') ? 'fallback' : 'missing',
      'server-show',
      tags.some((t) => t.tag === 'server_name') ? 'hostname taken from the "server_name" tag' : 'no hostname tag',
    );
  }
  const ips = Array.isArray(body.IP) ? body.IP.filter((i): i is Body => typeof i === 'object' && i !== null) : [];
  if (ips.length && !ips.some((i) => i.main_ip === 1 || i.main_ip === '1' || i.main_ip === true))
    out.add('fallback', 'server-show', 'no IP marked main_ip = 1: the first one is shown');
}

function uploadStatuses(body: Body, out: Findings): void {
  const list = [body.data, body.iso_images].find(Array.isArray) as unknown[] | undefined;
  // Every entry: each status word is looked at once.
  const seen = new Set<string>();
  for (const entry of list ?? []) {
    const status = typeof entry === 'object' && entry !== null ? (entry as Body).status : undefined;
    if (typeof status !== 'string' || seen.has(status)) continue;
    seen.add(status);
    if (!UPLOAD_STATUSES.includes(status.trim().toLowerCase())) {
      out.add('unknown_status', 'upload-statuses', `upload status ${statusWord(status)} is not known: shown verbatim and treated as in progress`);
    }
  }
}

function taskKey(body: Body, out: Findings): void {
  const data = typeof body.data === 'object' && body.data !== null ? (body.data as Body) : {};
  const found = TASK_KEY_FIELDS.flatMap((f) => [...(typeof body[f] === 'string' ? [f] : []), ...(typeof data[f] === 'string' ? [`data.${f}`] : [])]);
  if (!found.length) out.add('unexpected', 'task-key', `no task key in any of ${TASK_KEY_FIELDS.join(', ')}`);
  else if (found[0] !== TASK_KEY_FIELDS[0]) out.add('fallback', 'task-key', `the task key is in "${found[0] ?? ''}", not "${TASK_KEY_FIELDS[0]}"`);
}

/**
 * An object key as it may appear in a shape or a finding. Keys are names, but an answer could use
 * data as keys (an id, an email, a token): anything that does not look like a field name is masked.
 */
export function safeKey(key: string): string {
  let safe = SAFE_KEYS.get(key);
  if (safe === undefined) {
    safe = /^\d+$/.test(key) ? '<number>' : !/^[A-Za-z_][A-Za-z0-9_-]{0,31}$/.test(key) || (key.match(/\d/g)?.length ?? 0) > 3 ? '<key>' : key;
    if (SAFE_KEYS.size < SAFE_KEYS_KEPT) SAFE_KEYS.set(key, safe);
  }
  return safe;
}

/** Keys seen, as shown: every entry of a list repeats the same few, and each answer is inspected. */
const SAFE_KEYS = new Map<string, string>();
const SAFE_KEYS_KEPT = 512;

/**
 * A status word the maintainers need to see ("Verifying"), shown only when it is a short word of
 * letters: no digits, @, / or :, so never a key, token, PIN, email or URL.
 */
function statusWord(value: unknown): string {
  if (typeof value === 'string' && /^[A-Za-z][A-Za-z _-]{0,23}$/.test(value.trim())) return `"${value.trim()}"`;
  return `a ${typeName(value)} that is not shown`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'text';
  return `a ${typeof value}`;
}

const MAX_DEPTH = 5;
/** A list's shape is built from its first entries, and from later ones with keys of their own. */
const SHAPED_ENTRIES = 50;
const MAX_KEYS = 40;
const MAX_VARIANTS = 3;

/** The answer's keys and value types: `{result: string, data: [{id: number|string, …}]}`. */
export function shapeOf(value: unknown, depth = 0): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const list = value as unknown[];
    if (!list.length) return '[]';
    const variants = [...new Set([...list.slice(0, SHAPED_ENTRIES), ...laterKinds(list)].map((v) => shapeOf(v, depth + 1)))];
    return `[${variants.slice(0, MAX_VARIANTS).join(' | ')}${variants.length > MAX_VARIANTS ? ' | …' : ''}]`;
  }
  if (typeof value === 'object') {
    if (depth >= MAX_DEPTH) return '{…}';
    const entries = Object.entries(value as Body);
    const parts = entries.slice(0, MAX_KEYS).map(([k, v]) => `${safeKey(k)}: ${shapeOf(v, depth + 1)}`);
    return `{${parts.join(', ')}${entries.length > MAX_KEYS ? ', …' : ''}}`;
  }
  return typeof value;
}

/**
 * Entries after the first SHAPED_ENTRIES whose keys (in order) no earlier entry has: an unexpected
 * field deep in a long list shows in the shape as it does in the findings. A look at the keys of
 * each entry, made only for an answer with findings.
 */
function laterKinds(list: readonly unknown[]): unknown[] {
  const isEntry = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);
  const seen: string[][] = [];
  const known = (entry: Body): boolean => seen.some((keys) => sameKeys(entry, keys));
  for (const entry of list.slice(0, SHAPED_ENTRIES)) if (isEntry(entry) && !known(entry)) seen.push(Object.keys(entry));
  const later: unknown[] = [];
  for (let i = SHAPED_ENTRIES; i < list.length && later.length <= MAX_VARIANTS; i++) {
    const entry = list[i];
    if (!isEntry(entry) || known(entry)) continue;
    seen.push(Object.keys(entry));
    later.push(entry);
  }
  return later;
}

function sameKeys(entry: Body, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in entry) if (key !== keys[i++]) return false;
  return i === keys.length;
}

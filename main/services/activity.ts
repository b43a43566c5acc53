/**
 * One activity timeline: HOSTKEY's history of the images the user works with (their uploads, the
 * images their tasks touched, the images whose history they read), this app's task journal (every
 * kind it holds, jobs included) and the uploaded list, merged newest first. A journal task that
 * HOSTKEY's history also records is one row, with HOSTKEY's login and message and the journal's
 * server and outcome. Also what the timeline says about each upload's use (last mounted), and the
 * timeline as a CSV or JSON file.
 */
import { AppError } from '../domain/errors.js';
import type { Cache, TrackedTask } from '../cache/index.js';
import type { HistoryEntry, IsoImage } from '../domain/models.js';
import type { ActivityRow, ParsedRequest, Response, UploadUse } from '../ipc/contract.js';
import type { Clock } from '../api/clock.js';
import type { SessionService } from './session.js';
import type { CatalogService } from './catalog.js';
import type { UploadService } from './uploads.js';
import { fileNameOf } from '../tasks/upload-status.js';

/**
 * HOSTKEY writes history dates without a zone ("2024-01-15 10:30:00") and the docs do not name
 * one. They are read as UTC: the API's other timestamps (an image's created_at) are UTC, and so
 * is the clock of HOSTKEY's servers as far as those show.
 */
const API_ZONE_FOR_BARE_DATES = 'Z';

/** A moment HOSTKEY wrote (with or without a zone); null when it is not a date. */
export function apiMoment(text: string | null | undefined): number | null {
  if (!text) return null;
  const value = text.trim();
  const bare = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)$/.exec(value);
  const ms = Date.parse(bare ? `${bare[1]}T${bare[2]}${API_ZONE_FOR_BARE_DATES}` : value);
  return Number.isFinite(ms) ? ms : null;
}

/** A journal task and HOSTKEY's history entry of the same action are one event when this close in time. */
const SAME_EVENT_MS = 10 * 60_000;
/** HOSTKEY has no bulk history: one refresh reads at most this many images' history, this many at a time. */
const HISTORY_REFRESH_LIMIT = 50;
const HISTORY_CONCURRENCY = 4;
/** Task kinds HOSTKEY's history also records, by the history type that records them. */
const RECORDED_KINDS = new Set(['mount', 'unmount', 'upload']);

/** Saves an exported file where the user chooses (the desktop shell's save dialog); resolves to the path, or null when cancelled. */
export type SaveFile = (suggestedName: string, content: string) => Promise<string | null>;

type Query = ParsedRequest<'activity/list'>;

interface Gathered {
  rows: ActivityRow[];
  offline: boolean;
  notes: string[];
}

const sameText = (a: string | null | undefined, b: string | null | undefined): boolean => !!a && !!b && a.toLowerCase() === b.toLowerCase();

function taskWhat(t: TrackedTask): string {
  const iso = t.iso_name ?? (t.url ? fileNameOf(t.url) : null);
  const server = t.server_id === null ? '' : ` server ${t.server_id}`;
  switch (t.kind) {
    case 'mount':
      return `Mount ${iso ?? 'an ISO'} on${server || ' a server'}`;
    case 'unmount':
      return `Unmount ${iso ? `${iso} ` : ''}from${server || ' a server'}`;
    case 'upload':
      return `Upload ${iso ?? 'an ISO'}${t.url ? ` from ${t.url}` : ''}`;
    default: {
      // Kinds added to the journal later (boot and power jobs) read as their own word.
      const kind: string = t.kind;
      return `${kind.charAt(0).toUpperCase()}${kind.slice(1)}${server ? ` on${server}` : ''}${iso ? ` (${iso})` : ''}`;
    }
  }
}

export class ActivityService {
  constructor(
    private readonly cache: Cache,
    private readonly session: SessionService,
    private readonly catalog: CatalogService,
    private readonly uploads: UploadService,
    private readonly clock: Clock,
    private readonly saveFile?: SaveFile,
  ) {}

  async list(q: Query): Promise<Response<'activity/list'>> {
    const { rows, offline, notes } = await this.gather(q);
    const kinds = [...new Set(rows.map((r) => r.kind))].sort();
    const images = new Map<number, string | null>();
    for (const r of rows) if (r.iso_id !== null && !images.get(r.iso_id)) images.set(r.iso_id, r.iso_name);
    const shown = rows.filter(
      (r) =>
        (q.since === null || r.at >= q.since) &&
        (q.server_id === null || r.server_id === q.server_id) &&
        (q.iso_id === null || r.iso_id === q.iso_id) &&
        (q.kind === null || r.kind === q.kind.toLowerCase()),
    );
    return { rows: shown, kinds, images: [...images].map(([iso_id, iso_name]) => ({ iso_id, iso_name })), offline, notes };
  }

  async export(q: ParsedRequest<'activity/export'>): Promise<Response<'activity/export'>> {
    const { format, ...filters } = q;
    const { rows } = await this.list(filters);
    const content = format === 'csv' ? activityCsv(rows) : activityJson(rows);
    const stamp = new Date(this.clock.now()).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    const fileName = `isodesk-activity-${stamp}.${format}`;
    const mime = format === 'csv' ? 'text/csv' : 'application/json';
    if (!this.saveFile) return { file_name: fileName, mime, rows: rows.length, saved_to: null, content, cancelled: false };
    const savedTo = await this.saveFile(fileName, content);
    return { file_name: fileName, mime, rows: rows.length, saved_to: savedTo, content: null, cancelled: savedTo === null };
  }

  /** When each of the user's uploads was last mounted, from HOSTKEY's history and the journal. */
  async usage(req: ParsedRequest<'uploads/usage'>): Promise<Response<'uploads/usage'>> {
    const profile = this.session.active().name;
    const listed = await this.uploads.list({ email: req.email, refresh: req.refresh });
    let offline = listed.offline;
    const mounts = this.cache.tasks.list(profile).filter((t) => t.kind === 'mount' && t.state === 'succeeded');
    const histories = await this.histories(
      listed.items.map((i) => i.id),
      req.refresh,
    );
    offline ||= histories.offline;
    const items = listed.items.map((iso): UploadUse => {
      const entries = histories.byId.get(iso.id);
      let at: number | null = null;
      let server: number | null = null;
      for (const e of entries ?? []) {
        const when = e.type.toLowerCase() === 'mount' ? apiMoment(e.date) : null;
        if (when !== null && (at === null || when > at)) at = when;
      }
      for (const t of mounts) {
        if (!sameText(t.iso_name, iso.iso_name)) continue;
        const when = t.finished_at ?? t.created_at;
        if (at === null || when >= at - SAME_EVENT_MS) {
          if (at === null || when > at) at = when;
          server = t.server_id;
        }
      }
      return { iso_id: iso.id, last_mounted_at: at, last_mounted_server: server, history_known: entries !== undefined || at !== null };
    });
    return { items, offline };
  }

  private async gather(q: Query): Promise<Gathered> {
    const profile = this.session.active();
    const me = profile.email;
    // A power reading changes nothing at HOSTKEY (the server panel shows it): not an activity row.
    const tasks = this.cache.tasks.list(profile.name).filter((t) => t.kind !== 'power_status');
    let offline = false;
    const notes: string[] = [];
    let uploaded: IsoImage[];
    try {
      const answer = await this.uploads.list({ refresh: q.refresh && !this.session.offline });
      uploaded = answer.items;
      offline ||= answer.offline;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      uploaded = this.cache.uploads.list(profile.name, null).items;
      notes.push(`Your uploads could not be listed: ${err.message}`);
    }

    const ids = q.iso_id !== null ? [q.iso_id] : this.workingSet(profile.name, uploaded, tasks);
    const histories = await this.histories(ids, q.refresh);
    offline ||= histories.offline;
    notes.push(...histories.notes);

    const hostkey: ActivityRow[] = [];
    for (const [isoId, entries] of histories.byId) {
      for (const e of entries) {
        const at = apiMoment(e.date);
        if (at === null) continue;
        hostkey.push({
          id: `hostkey:${isoId}:${e.id}`,
          at,
          sources: ['hostkey'],
          kind: e.type.toLowerCase() || 'other',
          login: e.login || null,
          what: e.description || e.type,
          server_id: null,
          iso_id: isoId,
          iso_name: e.iso_name || null,
          message: e.message || null,
          state: null,
        });
      }
    }

    const journal: ActivityRow[] = [];
    for (const t of tasks) {
      const isoId = t.iso_id ?? this.imageIdOf(profile.name, t, uploaded);
      const row: ActivityRow = {
        id: `journal:${t.key}`,
        at: t.created_at,
        sources: ['journal'],
        kind: t.kind,
        login: me,
        what: taskWhat(t),
        server_id: t.server_id,
        iso_id: isoId,
        iso_name: t.iso_name ?? (t.url ? fileNameOf(t.url) : null),
        message: t.message,
        state: t.state,
      };
      const same = RECORDED_KINDS.has(t.kind) ? this.sameEvent(row, hostkey, me) : undefined;
      if (same) {
        same.sources = ['hostkey', 'journal'];
        same.server_id = row.server_id;
        same.state = row.state;
        same.iso_id ??= row.iso_id;
        same.message ??= row.message;
      } else {
        journal.push(row);
      }
    }

    const uploads: ActivityRow[] = [];
    for (const iso of uploaded) {
      const recorded =
        hostkey.some((r) => r.iso_id === iso.id && r.kind === 'upload') ||
        tasks.some((t) => t.kind === 'upload' && (t.iso_id === iso.id || (!!iso.url && t.url === iso.url)));
      const at = apiMoment(iso.created_at);
      if (recorded || at === null) continue;
      uploads.push({
        id: `uploads:${iso.id}`,
        at,
        sources: ['uploads'],
        kind: 'upload',
        login: iso.private || me,
        what: `Upload ${iso.iso_name || iso.name || `ISO ${iso.id}`}${iso.url ? ` from ${iso.url}` : ''}`,
        server_id: null,
        iso_id: iso.id,
        iso_name: iso.iso_name || null,
        message: iso.status ?? null,
        state: null,
      });
    }

    const rows = [...hostkey, ...journal, ...uploads].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));
    return { rows, offline, notes };
  }

  /** The images the user works with: their uploads, the images their tasks touched, and those whose history they read. */
  private workingSet(profile: string, uploaded: IsoImage[], tasks: TrackedTask[]): number[] {
    const ids = new Set<number>();
    for (const iso of [...uploaded].sort((a, b) => b.id - a.id)) ids.add(iso.id);
    for (const t of tasks) {
      const id = t.iso_id ?? this.imageIdOf(profile, t, uploaded);
      if (id !== null) ids.add(id);
    }
    for (const id of this.cache.history.cachedIds(profile)) ids.add(id);
    return [...ids];
  }

  /** The image a task names by file name: in the uploaded list, else in its server's cached catalog. */
  private imageIdOf(profile: string, t: TrackedTask, uploaded: IsoImage[]): number | null {
    if (!t.iso_name) return null;
    const own = uploaded.find((u) => sameText(u.iso_name, t.iso_name));
    if (own) return own.id;
    return t.server_id === null ? null : (this.cache.catalog.findByFileName(profile, t.server_id, t.iso_name)?.id ?? null);
  }

  /** HOSTKEY's history row of the same action as a journal task: same kind, same image, the user's login, close in time. */
  private sameEvent(task: ActivityRow, hostkey: ActivityRow[], me: string | null): ActivityRow | undefined {
    let best: ActivityRow | undefined;
    for (const r of hostkey) {
      if (r.kind !== task.kind || r.sources.includes('journal')) continue;
      if (me && r.login && !sameText(r.login, me)) continue;
      const image = (task.iso_id !== null && r.iso_id === task.iso_id) || sameText(r.iso_name, task.iso_name) || (task.kind === 'unmount' && !task.iso_name);
      const gap = Math.abs(r.at - task.at);
      if (!image || gap > SAME_EVENT_MS) continue;
      if (!best || gap < Math.abs(best.at - task.at)) best = r;
    }
    return best;
  }

  /** The history of each image: re-read from HOSTKEY (the first HISTORY_REFRESH_LIMIT) when asked, else the cache. */
  private async histories(ids: number[], refresh: boolean): Promise<{ byId: Map<number, HistoryEntry[]>; offline: boolean; notes: string[] }> {
    const byId = new Map<number, HistoryEntry[]>();
    const failed: string[] = [];
    let offline = false;
    const profile = this.session.active().name;
    const fetchable = refresh && !this.session.offline ? ids.slice(0, HISTORY_REFRESH_LIMIT) : [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < fetchable.length) {
        const id = fetchable[next++]!;
        try {
          const answer = await this.catalog.history({ iso_id: id, refresh: true });
          byId.set(id, answer.items);
          offline ||= answer.offline;
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          failed.push(`ISO ${id}: ${err.message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(HISTORY_CONCURRENCY, fetchable.length) }, worker));
    for (const id of ids) {
      if (byId.has(id)) continue;
      const cached = this.cache.history.list(profile, id);
      if (cached.synced_at !== null) byId.set(id, cached.items);
    }
    const notes = failed.length
      ? [
          `HOSTKEY's history of ${failed.length === 1 ? 'one image' : `${failed.length} images`} could not be read (${failed.slice(0, 3).join('; ')}); the cached copy is shown where there is one.`,
        ]
      : [];
    return { byId, offline, notes };
  }
}

const CSV_COLUMNS = ['time', 'kind', 'login', 'what', 'server_id', 'iso_id', 'iso_name', 'state', 'message', 'sources'] as const;

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  // A cell a spreadsheet would run as a formula is kept as text.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function exported(r: ActivityRow): Record<(typeof CSV_COLUMNS)[number], string | number | null> {
  return {
    time: new Date(r.at).toISOString(),
    kind: r.kind,
    login: r.login,
    what: r.what,
    server_id: r.server_id,
    iso_id: r.iso_id,
    iso_name: r.iso_name,
    state: r.state,
    message: r.message,
    sources: r.sources.join('+'),
  };
}

/** RFC 4180 CSV, one row per event, times in UTC (ISO 8601). */
export function activityCsv(rows: readonly ActivityRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const cells = exported(r);
    lines.push(CSV_COLUMNS.map((c) => csvCell(cells[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function activityJson(rows: readonly ActivityRow[]): string {
  return `${JSON.stringify(
    rows.map((r) => ({ ...exported(r), sources: r.sources })),
    null,
    2,
  )}\n`;
}

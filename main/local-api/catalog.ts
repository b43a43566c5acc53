/**
 * The ISO images and their history. Time-driven changes (an upload moving Pending → Downloading →
 * Active or Error, a queued deletion coming due) are applied lazily by settle(), which the server
 * calls before every request; only the few images in motion are visited. Synthetic images are
 * made on the fly and stored only once something may change them (see named() and get()).
 */
import type { HistoryRecord, HistoryType, IsoRecord, UploadProgress } from './records.js';
import type { SyntheticIsos } from './synthetic.js';
import { historyDate, isoTimestamp } from './time.js';

export const STATUS = {
  pending: 'Pending',
  downloading: 'Downloading',
  active: 'Active',
  error: 'Error',
  deleting: 'Deleting',
} as const;

/** Who history entries name for changes HOSTKEY makes by itself. */
const SYSTEM_LOGIN = 'system';

export interface NewIso {
  name: string;
  short_name: string;
  iso_name: string;
  private: string;
  description: string;
  admin_only: 0 | 1;
  status: string;
  url?: string | null;
  customer_id?: number | null;
}

export interface HistoryNote {
  type: HistoryType;
  login: string;
  description: string;
  message: string;
}

export class Catalog {
  private readonly images = new Map<number, IsoRecord>();
  private readonly inMotion = new Set<number>();
  private readonly history = new Map<number, HistoryRecord[]>();
  private nextIsoId = 1;
  private nextHistoryId = 1;
  private synthetic: SyntheticIsos | null = null;

  constructor(
    private readonly now: () => number,
    private readonly timing: { uploadStepMs: number; deleteDelayMs: number },
  ) {}

  /** Loads prepared records (the demo data), keeping their ids. */
  load(records: Iterable<IsoRecord>): void {
    for (const record of records) {
      this.images.set(record.id, record);
      this.nextIsoId = Math.max(this.nextIsoId, record.id + 1);
      if (record.progress || record.deleteAt !== null) this.inMotion.add(record.id);
    }
  }

  /** `fails`: a Pending image ends in Error instead of Active. */
  create(fields: NewIso, fails = false): IsoRecord {
    const stamp = isoTimestamp(this.now());
    const record: IsoRecord = {
      id: this.nextIsoId++,
      ...fields,
      url: fields.url ?? null,
      customer_id: fields.customer_id ?? null,
      size: null,
      created_at: stamp,
      updated_at: stamp,
      progress: null,
      deleteAt: null,
      deleted: false,
    };
    this.images.set(record.id, record);
    this.applyStatus(record, fields.status, fails);
    return record;
  }

  /** Sets a status; `Pending` starts the walk to Active (or Error when `fails`). */
  applyStatus(record: IsoRecord, status: string, fails = false): void {
    record.status = status;
    record.progress = status === STATUS.pending ? { startedAt: this.now(), fails } : null;
    if (record.progress) this.inMotion.add(record.id);
    if (status === STATUS.active && record.size === null) record.size = sizeFor(record.iso_name);
  }

  touch(record: IsoRecord): void {
    record.updated_at = isoTimestamp(this.now());
  }

  /** Adds a range of synthetic images; new images get ids after it. */
  addSynthetic(range: SyntheticIsos): void {
    this.synthetic = range;
    this.nextIsoId = Math.max(this.nextIsoId, range.endId);
  }

  /** A live (not deleted) image, stored so that changes to it last. */
  get(id: number): IsoRecord | undefined {
    const record = this.getEvenDeleted(id);
    return record && !record.deleted ? record : undefined;
  }

  /** Any image ever known, deleted ones included (their history stays readable). */
  getEvenDeleted(id: number): IsoRecord | undefined {
    const stored = this.images.get(id);
    if (stored || !this.synthetic?.has(id)) return stored;
    const made = this.synthetic.make(id);
    this.images.set(id, made);
    return made;
  }

  /** Live images whose `field` is exactly `value`, in id order, stored so that changes to them last. */
  named(field: 'name' | 'iso_name', value: string): IsoRecord[] {
    const found: IsoRecord[] = [];
    for (const record of this.images.values()) if (!record.deleted && record[field] === value) found.push(record);
    const id = this.synthetic?.idNamed(field, value);
    if (this.synthetic && id !== undefined && !this.images.has(id)) {
      const made = this.synthetic.make(id);
      if (made[field] === value) {
        this.images.set(id, made);
        found.push(made);
      }
    }
    return found.sort((a, b) => a.id - b.id);
  }

  /** Every live image in id order, for reading: synthetic ones may be made just for this pass. */
  *live(): Iterable<Readonly<IsoRecord>> {
    const range = this.synthetic;
    if (!range) {
      for (const record of this.images.values()) if (!record.deleted) yield record;
      return;
    }
    for (const record of this.images.values()) if (record.id < range.firstId && !record.deleted) yield record;
    for (let id = range.firstId; id < range.endId; id++) {
      const record = this.images.get(id) ?? range.make(id);
      if (!record.deleted) yield record;
    }
    for (const record of this.images.values()) if (record.id >= range.endId && !record.deleted) yield record;
  }

  /** Without `immediately`, the image shows `Deleting` until the queued deletion comes due. */
  delete(record: IsoRecord, immediately: boolean): void {
    if (immediately) {
      this.markDeleted(record);
      return;
    }
    record.status = STATUS.deleting;
    record.progress = null;
    record.deleteAt = this.now() + this.timing.deleteDelayMs;
    this.touch(record);
    this.inMotion.add(record.id);
  }

  note(record: IsoRecord, note: HistoryNote, at = this.now()): void {
    // Field order as in the seed's example.
    const entry: HistoryRecord = {
      id: this.nextHistoryId++,
      date: historyDate(at),
      description: note.description,
      type: note.type,
      login: note.login,
      message: note.message,
      iso_name: record.iso_name,
    };
    const entries = this.history.get(record.id);
    if (entries) entries.push(entry);
    else this.history.set(record.id, [entry]);
  }

  /** Oldest first: entry ids grow with time. */
  historyOf(id: number): HistoryRecord[] {
    return this.history.get(id) ?? [];
  }

  settle(): void {
    const now = this.now();
    for (const id of this.inMotion) {
      const record = this.images.get(id);
      if (!record) {
        this.inMotion.delete(id);
        continue;
      }
      if (record.deleteAt !== null && now >= record.deleteAt) {
        this.markDeleted(record);
        this.inMotion.delete(id);
      } else if (record.progress) {
        this.advanceUpload(record, record.progress, now);
        if (!record.progress) this.inMotion.delete(id);
      }
    }
  }

  private advanceUpload(record: IsoRecord, progress: UploadProgress, now: number): void {
    const step = this.timing.uploadStepMs;
    const downloadingAt = progress.startedAt + step;
    const doneAt = progress.startedAt + 2 * step;
    if (now >= downloadingAt && record.status === STATUS.pending) {
      record.status = STATUS.downloading;
      record.updated_at = isoTimestamp(downloadingAt);
      this.note(
        record,
        { type: 'upload', login: SYSTEM_LOGIN, description: 'Download started', message: `Downloading ${record.url ?? record.iso_name}` },
        downloadingAt,
      );
    }
    if (now < doneAt) {
      // While downloading, `uploaded` reports the bytes fetched so far (the seed is silent; it lets
      // clients show that a download grows).
      if (record.status === STATUS.downloading && !progress.fails) {
        record.size = Math.floor(sizeFor(record.iso_name) * Math.min(0.95, Math.max(0.01, (now - downloadingAt) / step)));
      }
      return;
    }
    record.progress = null;
    record.updated_at = isoTimestamp(doneAt);
    if (progress.fails) {
      record.status = STATUS.error;
      this.note(record, { type: 'upload', login: SYSTEM_LOGIN, description: 'Download failed', message: 'The remote server answered 404 Not Found' }, doneAt);
      return;
    }
    record.status = STATUS.active;
    record.size = sizeFor(record.iso_name);
    this.note(record, { type: 'upload', login: SYSTEM_LOGIN, description: 'ISO uploaded', message: `ISO uploaded (${record.size} bytes)` }, doneAt);
  }

  private markDeleted(record: IsoRecord): void {
    record.deleted = true;
    record.status = 'Deleted';
    record.deleteAt = null;
    record.progress = null;
    this.touch(record);
  }
}

/** A plausible, stable size for an image whose file the local API never sees (300 MB – 4.3 GB). */
function sizeFor(name: string): number {
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619);
  return 300 * 1024 * 1024 + ((hash >>> 0) % 4000) * 1024 * 1024;
}

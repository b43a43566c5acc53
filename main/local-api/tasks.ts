/**
 * Asynchronous tasks (mount_iso, unmount_iso) as eq_callback.php check reports them: "Not ready"
 * until their delay has passed, then one final answer, after which HOSTKEY forgets the key.
 */
import { randomInt } from 'node:crypto';
import type { Account, ServerRecord } from './records.js';

export type TaskAction = 'mount_iso' | 'unmount_iso';

export interface TaskRecord {
  key: string;
  owner: Account;
  action: TaskAction;
  server: ServerRecord;
  /** The ISO being mounted, or the one being unmounted (null when nothing was mounted). */
  isoName: string | null;
  readyAt: number;
  /** Why the task will fail, or null when it will succeed. */
  failure: string | null;
}

const KEY_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const KEY_LENGTH = 32;

function newTaskKey(): string {
  let key = '';
  for (let i = 0; i < KEY_LENGTH; i++) key += KEY_ALPHABET[randomInt(KEY_ALPHABET.length)];
  return key;
}

export class Tasks {
  private readonly byKey = new Map<string, TaskRecord>();

  constructor(
    private readonly now: () => number,
    private readonly delayMs: number,
  ) {}

  start(task: Omit<TaskRecord, 'key' | 'readyAt'>): TaskRecord {
    const record: TaskRecord = { ...task, key: newTaskKey(), readyAt: this.now() + this.delayMs };
    this.byKey.set(record.key, record);
    return record;
  }

  find(key: string): TaskRecord | undefined {
    return this.byKey.get(key);
  }

  isReady(task: TaskRecord): boolean {
    return this.now() >= task.readyAt;
  }

  /** HOSTKEY deletes the key once it has reported the outcome. */
  forget(task: TaskRecord): void {
    this.byKey.delete(task.key);
  }
}

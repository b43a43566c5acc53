/**
 * Asynchronous tasks (mount_iso, unmount_iso and the eq.php power, boot device and console
 * actions) as eq_callback.php check reports them: "Not ready" until their delay has passed, then
 * one final answer, after which HOSTKEY forgets the key.
 */
import { randomInt } from 'node:crypto';
import type { Json } from './envelopes.js';
import type { Account, ServerRecord } from './records.js';

export type TaskAction = 'mount_iso' | 'unmount_iso' | 'status' | 'on' | 'off' | 'reboot' | 'boot_dev' | 'novnc' | 'stop_novnc';

/** How an eq.php task ends, decided when its outcome is reported (the state it reads is the state then). */
export interface TaskOutcome {
  ok: boolean;
  scope: Json;
  debug: Json;
}

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
  /** eq.php actions: their outcome, made when it is first reported. */
  report?: () => TaskOutcome;
}

/** What tests read back about every key ever issued (GET /__control): how it was asked about. */
export interface KeyReport {
  key: string;
  action: TaskAction;
  server_id: number;
  iso: string | null;
  issued_at: number;
  /** The outcome reported (once), or null while it was never reported. */
  outcome: 'ok' | 'error' | null;
  checks: number;
  /** Checks that came after the outcome was reported: a client that lost track. */
  checks_after_outcome: number;
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
  private readonly reports = new Map<string, KeyReport>();

  constructor(
    private readonly now: () => number,
    private readonly delayMs: number,
  ) {}

  /** `delayMs`: how long this task stays "Not ready" when not the default. */
  start(task: Omit<TaskRecord, 'key' | 'readyAt'>, delayMs = this.delayMs): TaskRecord {
    const record: TaskRecord = { ...task, key: newTaskKey(), readyAt: this.now() + delayMs };
    this.byKey.set(record.key, record);
    this.reports.set(record.key, {
      key: record.key,
      action: record.action,
      server_id: record.server.id,
      iso: record.isoName,
      issued_at: this.now(),
      outcome: null,
      checks: 0,
      checks_after_outcome: 0,
    });
    return record;
  }

  find(key: string): TaskRecord | undefined {
    return this.byKey.get(key);
  }

  isReady(task: TaskRecord): boolean {
    return this.now() >= task.readyAt;
  }

  /** HOSTKEY deletes the key once it has reported the outcome. */
  forget(task: TaskRecord, ok: boolean): void {
    this.byKey.delete(task.key);
    const report = this.reports.get(task.key);
    if (report) report.outcome = ok ? 'ok' : 'error';
  }

  /** Counts a check of `key`, before it is answered. */
  noteCheck(key: string): void {
    const report = this.reports.get(key);
    if (!report) return;
    report.checks++;
    if (report.outcome !== null) report.checks_after_outcome++;
  }

  report(): KeyReport[] {
    return [...this.reports.values()].map((r) => ({ ...r }));
  }
}

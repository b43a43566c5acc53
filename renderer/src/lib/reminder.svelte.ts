/**
 * The detach reminder: an ISO that ISO Desk mounted and that stays attached longer than the
 * user's setting (2 hours unless changed) is called out — an ISO left attached is a classic cause
 * of a server reinstalling itself on its next reboot. The setting lives with main (prefs/*), and so
 * does the rule (reminders/due): the desktop notification and the CLI use the same one.
 */
import type { IsoDeskApi } from '../../../main/ipc/contract.js';
import type { DueReminder } from '../../../main/domain/jobs.js';
import { DEFAULT_DETACH_REMINDER_MINUTES } from '../../../main/domain/preferences.js';

/** The choices the setting offers; 0 turns the reminder off. */
export const REMINDER_CHOICES = [
  { minutes: 30, label: 'After 30 minutes' },
  { minutes: 60, label: 'After 1 hour' },
  { minutes: 120, label: 'After 2 hours' },
  { minutes: 240, label: 'After 4 hours' },
  { minutes: 480, label: 'After 8 hours' },
  { minutes: 1440, label: 'After 24 hours' },
  { minutes: 0, label: 'Never' },
] as const;

export class DetachReminder {
  minutes = $state(DEFAULT_DETACH_REMINDER_MINUTES);
  /** What main found due at the last look. */
  due = $state<DueReminder[]>([]);
  /** Reminders already notified, by server and mount time: one notification per mount. */
  private readonly notified = new Set<string>();

  constructor(private readonly api: IsoDeskApi) {}

  async load(): Promise<void> {
    this.minutes = (await this.api.prefs.get({})).detach_reminder_minutes;
  }

  async set(minutes: number): Promise<void> {
    this.minutes = (await this.api.prefs.set({ detach_reminder_minutes: minutes })).detach_reminder_minutes;
  }

  /** Asks main what is due now (the window's now: the elapsed times it shows count from it too). */
  async refresh(): Promise<DueReminder[]> {
    this.due = await this.api.reminders.due({ at: Date.now() });
    return this.due;
  }

  /** The reminder due on a server, if any. */
  dueOn(serverId: number): DueReminder | undefined {
    return this.due.find((r) => r.server_id === serverId);
  }

  /** True the first time it is asked for this mount: the caller then notifies. */
  firstNotice(profile: string, serverId: number, mountedAt: number): boolean {
    const key = `${profile}/${serverId}/${mountedAt}`;
    if (this.notified.has(key)) return false;
    this.notified.add(key);
    return true;
  }
}

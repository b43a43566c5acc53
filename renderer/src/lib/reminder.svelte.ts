/**
 * The detach reminder: an ISO that ISO Desk mounted and that stays attached longer than the
 * user's setting (2 hours unless changed) is called out — an ISO left attached is a classic cause
 * of a server reinstalling itself on its next reboot. The setting is the user's, kept in this
 * window's storage like the chosen server; it is a reminder, so nothing else depends on it.
 */

const SETTING_KEY = 'isodesk.detachReminderMinutes';
export const DEFAULT_REMINDER_MINUTES = 120;

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

function stored(): number {
  try {
    const raw = localStorage.getItem(SETTING_KEY);
    const value = raw === null ? NaN : Number(raw);
    return REMINDER_CHOICES.some((c) => c.minutes === value) ? value : DEFAULT_REMINDER_MINUTES;
  } catch {
    return DEFAULT_REMINDER_MINUTES;
  }
}

export class DetachReminder {
  minutes = $state(stored());
  /** Reminders already notified, by server and mount time: one notification per mount. */
  private readonly notified = new Set<string>();

  set(minutes: number): void {
    this.minutes = minutes;
    try {
      localStorage.setItem(SETTING_KEY, String(minutes));
    } catch {
      // Storage can be unavailable (private windows): the choice then lasts for this session.
    }
  }

  /** True when an ISO mounted at `mountedAt` has been attached longer than the setting. */
  due(mountedAt: number | null, now: number): boolean {
    return this.minutes > 0 && mountedAt !== null && now - mountedAt >= this.minutes * 60_000;
  }

  /** When the reminder for a mount at `mountedAt` falls due; null when it is off. */
  dueAt(mountedAt: number | null): number | null {
    return this.minutes > 0 && mountedAt !== null ? mountedAt + this.minutes * 60_000 : null;
  }

  /** True the first time it is asked for this mount: the caller then notifies. */
  firstNotice(profile: string, serverId: number, mountedAt: number): boolean {
    const key = `${profile}/${serverId}/${mountedAt}`;
    if (this.notified.has(key)) return false;
    this.notified.add(key);
    return true;
  }
}

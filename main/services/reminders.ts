/**
 * The detach reminder (issue #9): an ISO that ISO Desk mounted and that has stayed attached longer
 * than the user's setting (2 hours unless changed; 0 turns it off) is called out — an ISO left
 * attached is a classic cause of a server reinstalling itself on its next reboot. One rule, here,
 * for the desktop notification, the server panel (reminders/due) and the CLI (`isodesk servers`).
 * Saying it once per mount is each of those's own business: the rule only says what is due.
 */
import type { DueReminder, PowerStatus } from '../domain/jobs.js';
import type { Server } from '../domain/models.js';
import type { Cache } from '../cache/index.js';
import type { Clock } from '../api/clock.js';
import type { PowerService } from './power.js';
import type { PreferencesService } from './preferences.js';
import type { SessionService } from './session.js';

type Named = Pick<Server, 'id' | 'hostname' | 'main_ip' | 'mounted_iso'>;

function attachedFor(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * The reminders due at `now`: one per ISO ISO Desk mounted (its record) that has been attached for
 * `minutes` or more, unless the server is known to show another ISO, or none, since.
 */
export function dueReminders(records: readonly PowerStatus[], servers: readonly Named[], minutes: number, now: number): DueReminder[] {
  if (minutes <= 0) return [];
  const due: DueReminder[] = [];
  for (const record of records) {
    if (!record.mounted_iso || record.mounted_at === null || now - record.mounted_at < minutes * 60_000) continue;
    const known = servers.find((s) => s.id === record.server_id);
    // Unmounted (or replaced) outside ISO Desk since: the server list knows better than the record.
    if (known && known.mounted_iso !== record.mounted_iso) continue;
    const server = [known?.hostname ?? `server ${record.server_id}`, known?.main_ip ? `(${known.main_ip})` : null].filter(Boolean).join(' ');
    const attached = now - record.mounted_at;
    due.push({
      server_id: record.server_id,
      iso_name: record.mounted_iso,
      mounted_at: record.mounted_at,
      attached_ms: attached,
      minutes,
      server,
      title: `${record.mounted_iso} is still attached to ${server}`,
      body: `Mounted ${attachedFor(attached)} ago. An ISO left attached can make the server boot it again on its next reboot: choose Back to disk.`,
    });
  }
  return due;
}

export class ReminderService {
  constructor(
    private readonly cache: Cache,
    private readonly session: SessionService,
    private readonly power: PowerService,
    private readonly prefs: PreferencesService,
    private readonly clock: Clock,
  ) {}

  /**
   * What is due for the active profile, from main's records (no request to HOSTKEY). `at`: the
   * moment the caller shows (the window passes the time its elapsed-time labels count from).
   */
  due(at: number = this.clock.now()): DueReminder[] {
    const minutes = this.prefs.get().detach_reminder_minutes;
    if (minutes <= 0) return [];
    const profile = this.session.active().name;
    return dueReminders(this.power.list(), this.cache.servers.list(profile).items, minutes, at);
  }
}

/**
 * The detach reminder (issue #9): one rule (main/services/reminders.ts) says which ISOs ISO Desk
 * mounted have stayed attached longer than the user's setting, naming the server by hostname and
 * IP; the desktop shows each once per mount.
 */
import { describe, expect, it } from 'vitest';
import type { PowerStatus } from '../../main/domain/jobs.js';
import { dueReminders } from '../../main/services/reminders.js';
import { newReminders } from '../../main/shell/task-notices.js';

describe('detach reminders', () => {
  const HOUR = 3_600_000;
  const now = 10 * HOUR;
  const record = (over: Partial<PowerStatus>): PowerStatus => ({
    server_id: 42,
    power: 'on',
    text: null,
    read_at: null,
    boot_media: 'cd',
    boot_media_at: now - 2 * HOUR,
    mounted_iso: 'ubuntu-24.04.iso',
    mounted_at: now - 2 * HOUR - 60_000,
    job_key: null,
    following: null,
    ...over,
  });
  const servers = [{ id: 42, hostname: 'web-01.example', main_ip: '185.70.104.21', mounted_iso: 'ubuntu-24.04.iso' }];

  it('are due for an ISO attached longer than the setting, naming the server', () => {
    expect(dueReminders([record({})], servers, 120, now)).toEqual([
      {
        server_id: 42,
        iso_name: 'ubuntu-24.04.iso',
        mounted_at: now - 2 * HOUR - 60_000,
        attached_ms: 2 * HOUR + 60_000,
        minutes: 120,
        server: 'web-01.example (185.70.104.21)',
        title: 'ubuntu-24.04.iso is still attached to web-01.example (185.70.104.21)',
        body: expect.stringMatching(/^Mounted 2 h 1 min ago\. .*Back to disk\.$/),
      },
    ]);
  });

  it('wait until the setting is reached, and are never due when it is off, nothing is mounted, or the server shows it unmounted since', () => {
    expect(dueReminders([record({})], servers, 240, now)).toEqual([]);
    expect(dueReminders([record({})], servers, 0, now)).toEqual([]);
    expect(dueReminders([record({ mounted_iso: null, mounted_at: null })], servers, 30, now)).toEqual([]);
    expect(dueReminders([record({})], [{ ...servers[0]!, mounted_iso: null }], 30, now)).toEqual([]);
    // A server the list does not know (yet) is named by its id.
    expect(dueReminders([record({})], [], 30, now)[0]?.server).toBe('server 42');
  });

  it('are shown by the desktop once per mount', () => {
    const announced = new Set<string>();
    const due = dueReminders([record({})], servers, 120, now);
    expect(newReminders(due, announced)).toHaveLength(1);
    expect(newReminders(dueReminders([record({})], servers, 120, now + HOUR), announced)).toEqual([]);
    // A new mount is a new reminder.
    expect(newReminders(dueReminders([record({ mounted_at: now - 3 * HOUR })], servers, 120, now), announced)).toHaveLength(1);
  });
});

/**
 * The desktop's detach reminder (issue #9): once per mount of an ISO that ISO Desk mounted and
 * that stays attached longer than the user's setting, naming the server by hostname and IP.
 */
import { describe, expect, it } from 'vitest';
import type { PowerStatus } from '../../main/domain/jobs.js';
import { dueReminders } from '../../main/shell/task-notices.js';

describe('detach reminders on the desktop', () => {
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
  const servers = [{ id: 42, hostname: 'web-01.example', main_ip: '185.70.104.21' }];

  it('reminds once per mount of an ISO attached longer than the setting, naming the server', () => {
    const announced = new Set<string>();
    const due = dueReminders([record({})], servers, 120, now, announced);
    expect(due).toEqual([
      {
        title: 'ubuntu-24.04.iso is still attached to web-01.example (185.70.104.21)',
        body: expect.stringMatching(/^Mounted 2 h 1 min ago\. .*Back to disk\.$/),
        serverId: 42,
      },
    ]);
    expect(dueReminders([record({})], servers, 120, now + HOUR, announced)).toEqual([]);
    // A new mount is a new reminder.
    expect(dueReminders([record({ mounted_at: now - 3 * HOUR })], servers, 120, now, announced)).toHaveLength(1);
  });

  it('waits until the setting is reached, and never reminds when it is off or nothing is mounted', () => {
    expect(dueReminders([record({})], servers, 240, now, new Set())).toEqual([]);
    expect(dueReminders([record({})], servers, 0, now, new Set())).toEqual([]);
    expect(dueReminders([record({ mounted_iso: null, mounted_at: null })], servers, 30, now, new Set())).toEqual([]);
  });
});

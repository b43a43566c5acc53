/**
 * The desktop notification of a job (issue #9): one when it ends, stops at a step or waits for the
 * PIN, naming the server by hostname and IP; none for its steps' own tasks or for a power reading.
 * And the detach reminder's: once per mount of an ISO attached longer than the user's setting.
 */
import { describe, expect, it } from 'vitest';
import type { Job, JobEvent, PowerStatus } from '../../main/domain/jobs.js';
import type { Task } from '../../main/domain/models.js';
import { dueReminders, jobNoticeFor, noticeFor } from '../../main/shell/task-notices.js';

function job(over: Partial<Job>): Job {
  return {
    key: 'job:1',
    kind: 'boot_iso',
    profile: 'work',
    server_id: 42,
    hostname: 'web-01.example',
    main_ip: '185.70.104.21',
    iso_name: 'ubuntu-24.04.iso',
    state: 'running',
    current: 0,
    steps: [
      {
        index: 0,
        action: 'mount_iso',
        media: null,
        iso_name: 'ubuntu-24.04.iso',
        state: 'succeeded',
        message: 'Mounted',
        attempts: 1,
        task_key: 't0',
        started_at: 1,
        finished_at: 2,
      },
      {
        index: 1,
        action: 'boot_dev',
        media: 'cd',
        iso_name: null,
        state: 'failed',
        message: 'VM does not support boot from cd',
        attempts: 1,
        task_key: 't1',
        started_at: 3,
        finished_at: 4,
      },
      {
        index: 2,
        action: 'reboot',
        media: null,
        iso_name: null,
        state: 'pending',
        message: null,
        attempts: 0,
        task_key: null,
        started_at: null,
        finished_at: null,
      },
    ],
    message: null,
    choices: [],
    created_at: 1,
    updated_at: 4,
    finished_at: null,
    ...over,
  };
}
const event = (type: JobEvent['type'], over: Partial<Job>): JobEvent => ({ type, job: job(over) });

describe('job notifications', () => {
  it('says when a job stopped at a step, with HOSTKEY’s message, and opens that job', () => {
    const notice = jobNoticeFor(event('changed', { state: 'stopped', current: 1, choices: ['retry', 'skip', 'cancel'] }));
    expect(notice).toEqual({
      title: 'Boot from ISO ubuntu-24.04.iso on web-01.example (185.70.104.21): stopped at step 2 of 3',
      body: 'VM does not support boot from cd',
      taskKey: 'job:1',
    });
  });

  it('says when it ended, was cancelled or waits for the PIN', () => {
    expect(jobNoticeFor(event('ended', { state: 'succeeded', current: null, kind: 'reboot', iso_name: null }))?.title).toBe(
      'Reboot on web-01.example (185.70.104.21): done',
    );
    expect(jobNoticeFor(event('ended', { state: 'cancelled', current: null }))?.title).toMatch(/: cancelled$/);
    expect(jobNoticeFor(event('changed', { state: 'needs_pin' }))?.body).toContain('PIN');
  });

  it('stays quiet while it runs, for power readings, and for the tasks of its steps', () => {
    expect(jobNoticeFor(event('created', { state: 'running' }))).toBeNull();
    expect(jobNoticeFor(event('changed', { state: 'running', current: 1 }))).toBeNull();
    expect(jobNoticeFor(event('ended', { kind: 'power_status', state: 'succeeded' }))).toBeNull();
    const step = { key: 't1', kind: 'boot_dev', state: 'failed', job_key: 'job:1', job_step: 1, server_id: 42 } as Task;
    expect(noticeFor({ type: 'failed', task: step })).toBeNull();
  });
});

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

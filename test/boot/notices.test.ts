/** The desktop's notifications for jobs: once when a job ends or stops for the user, never per step. */
import { describe, expect, it } from 'vitest';
import type { Job } from '../../main/domain/jobs.js';
import type { Task } from '../../main/domain/models.js';
import { JobNotices, noticeFor } from '../../main/shell/task-notices.js';

function job(over: Partial<Job>): Job {
  return {
    key: 'j1',
    kind: 'boot_iso',
    profile: 'default',
    server_id: 40211,
    hostname: 'web-ams-01',
    main_ip: '185.70.104.21',
    iso_name: 'ubuntu.iso',
    state: 'running',
    current: 0,
    steps: [0, 1, 2].map((index) => ({
      index,
      action: (['mount_iso', 'boot_dev', 'reboot'] as const)[index]!,
      media: index === 1 ? 'cd' : null,
      iso_name: index === 0 ? 'ubuntu.iso' : null,
      state: 'pending',
      message: null,
      attempts: 0,
      task_key: null,
      started_at: null,
      finished_at: null,
    })),
    message: null,
    choices: ['cancel'],
    created_at: 1,
    updated_at: 1,
    finished_at: null,
    ...over,
  };
}

describe('job notifications', () => {
  it('tell a stop once, with the step, and the end once', () => {
    const notices = new JobNotices();
    expect(notices.noticeFor({ type: 'created', job: job({}) })).toBeNull();
    const stopped = job({ state: 'stopped', current: 1, message: 'Set the boot device to CD (the ISO) (step 2 of 3) failed: refused.' });
    expect(notices.noticeFor({ type: 'changed', job: stopped })).toEqual({
      title: 'Boot from ISO ubuntu.iso on web-ams-01 (185.70.104.21): stopped at step 2 of 3',
      body: 'Set the boot device to CD (the ISO) (step 2 of 3) failed: refused.',
      taskKey: 'j1',
    });
    expect(notices.noticeFor({ type: 'changed', job: stopped })).toBeNull();
    expect(notices.noticeFor({ type: 'changed', job: job({ state: 'running', current: 1 }) })).toBeNull();
    expect(notices.noticeFor({ type: 'ended', job: job({ state: 'succeeded', current: null, message: 'Done.' }) })).toMatchObject({
      title: 'Boot from ISO ubuntu.iso on web-ams-01 (185.70.104.21): done',
    });
    expect(notices.noticeFor({ type: 'changed', job: job({ key: 'j2', kind: 'reboot', iso_name: null, hostname: null, state: 'needs_pin' }) })).toMatchObject({
      title: 'Reboot on server 40211 (185.70.104.21): needs the account PIN',
    });
  });

  it('leave the steps of a job to the job', () => {
    const step = { key: 't', kind: 'reboot', state: 'succeeded', job_key: 'j1', job_step: 2 } as Task;
    expect(noticeFor({ type: 'finished', task: step })).toBeNull();
    expect(noticeFor({ type: 'finished', task: { ...step, job_key: null } })).not.toBeNull();
  });
});

/** The desktop's notifications for jobs are told as the job, never per step (the job's own: test/shell/job-notices.test.ts). */
import { describe, expect, it } from 'vitest';
import type { Task } from '../../main/domain/models.js';
import { noticeFor } from '../../main/shell/task-notices.js';

describe('job notifications', () => {
  it('leave the steps of a job to the job', () => {
    const step = { key: 't', kind: 'reboot', state: 'succeeded', job_key: 'j1', job_step: 2 } as Task;
    expect(noticeFor({ type: 'finished', task: step })).toBeNull();
    expect(noticeFor({ type: 'finished', task: { ...step, job_key: null } })).not.toBeNull();
  });
});

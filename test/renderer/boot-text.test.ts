/**
 * What the server panel's disruptive commands and the task centre's jobs say (issue #9): every
 * question names the server by hostname and IP, off and reboot say the server goes down, and a job
 * reads as its steps ("Step 2 of 3").
 */
import { describe, expect, it } from 'vitest';
import type { Job, JobPlan } from '../../main/domain/jobs.js';
import type { Server } from '../../main/domain/models.js';
import { backToDiskQuestion, planPoints, powerQuestion, serverIdentity } from '../../renderer/src/lib/boot-text.js';
import { jobNotice, jobProgress, jobTarget, stepLabel } from '../../renderer/src/lib/job-text.js';

const usual: Pick<JobPlan, 'steps' | 'notes'> = {
  steps: [
    { action: 'unmount_iso', media: null, iso_name: null, label: 'Unmount the ISO' },
    { action: 'boot_dev', media: 'disk', iso_name: null, label: 'Set the boot device to disk' },
    { action: 'reboot', media: null, iso_name: null, label: 'Reboot' },
  ],
  notes: [],
};

const server: Server = {
  id: 42,
  hostname: 'web-01.example',
  main_ip: '185.70.104.21',
  location: 'NL',
  state: 'active',
  condition: 'rent',
  mounted_iso: 'ubuntu-24.04.iso',
};

describe('confirmations', () => {
  it('name the server by hostname and IP, or by id when HOSTKEY sent no name', () => {
    expect(serverIdentity(server)).toBe('web-01.example (185.70.104.21)');
    expect(serverIdentity({ id: 7, hostname: null, main_ip: null })).toBe('Server 7');
    for (const action of ['on', 'off', 'reboot'] as const) expect(powerQuestion(action, server).message).toContain('web-01.example (185.70.104.21)');
    expect(backToDiskQuestion(server, usual).message).toContain('web-01.example (185.70.104.21)');
  });

  it('say that off and reboot take the server down, and start on Cancel', () => {
    for (const action of ['off', 'reboot'] as const) {
      const question = powerQuestion(action, server);
      expect(question.warning).toMatch(/will go down/);
      expect(question.danger).toBe(true);
    }
    expect(powerQuestion('on', server).warning).not.toMatch(/will go down/);
    expect(backToDiskQuestion(server, usual).points).toEqual(['Unmount the ISO', 'Set the boot device to disk', 'Reboot']);
    expect(backToDiskQuestion(server, usual).warning).toMatch(/will go down/);
  });

  it('list the steps main planned, with why they differ, and say nothing of going down when nothing restarts the server', () => {
    const off = { steps: usual.steps.slice(0, 2), notes: ['The server was off when last read: it stays off, and starts from its disk when powered on.'] };
    expect(backToDiskQuestion(server, off).points).toEqual(['Unmount the ISO', 'Set the boot device to disk', off.notes[0]]);
    expect(backToDiskQuestion(server, off).warning).toBeNull();
    expect(planPoints({ steps: usual.steps.slice(2), notes: ['n'] })).toEqual(['Reboot', 'n']);
  });
});

describe('jobs', () => {
  const job: Job = {
    key: 'job:1',
    kind: 'boot_iso',
    profile: 'work',
    server_id: 42,
    hostname: 'web-01.example',
    main_ip: '185.70.104.21',
    iso_name: 'ubuntu-24.04.iso',
    state: 'stopped',
    current: 1,
    steps: [
      {
        index: 0,
        action: 'mount_iso',
        media: null,
        iso_name: 'ubuntu-24.04.iso',
        state: 'succeeded',
        message: null,
        attempts: 1,
        task_key: 'a',
        started_at: 1,
        finished_at: 2,
      },
      {
        index: 1,
        action: 'boot_dev',
        media: 'cd',
        iso_name: null,
        state: 'failed',
        message: 'not supported on VMs',
        attempts: 1,
        task_key: 'b',
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
    choices: ['retry', 'skip', 'cancel'],
    created_at: 1,
    updated_at: 4,
    finished_at: null,
  };

  it('read as their steps', () => {
    expect(jobProgress(job)).toBe('Step 2 of 3');
    expect(job.steps.map(stepLabel)).toEqual(['Mount ubuntu-24.04.iso', 'Set the boot device to CD (the ISO)', 'Reboot']);
    expect(jobTarget(job)).toBe('ubuntu-24.04.iso on web-01.example (185.70.104.21)');
    expect(jobProgress({ ...job, current: null })).toBeNull();
  });

  it('notify when they stop (with HOSTKEY’s message) or end, and not while they run', () => {
    expect(jobNotice(job)).toEqual({
      tone: 'error',
      title: 'Stopped at “Set the boot device to CD (the ISO)” — Boot from ISO: ubuntu-24.04.iso on web-01.example (185.70.104.21)',
      detail: 'not supported on VMs',
    });
    expect(jobNotice({ ...job, state: 'succeeded', current: null })?.tone).toBe('success');
    expect(jobNotice({ ...job, state: 'running' })).toBeNull();
  });
});

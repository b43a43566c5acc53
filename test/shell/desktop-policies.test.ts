import { describe, expect, it } from 'vitest';
import type { Task, TaskEvent } from '../../main/domain/models.js';
import { closeAction } from '../../main/shell/close-policy.js';
import { chooseSecretStorage } from '../../main/shell/secret-storage-policy.js';
import { RunningTasks, noticeFor, trayTooltip } from '../../main/shell/task-notices.js';

function task(over: Partial<Task>): Task {
  return {
    key: 'k1',
    kind: 'mount',
    profile: 'default',
    server_id: 42,
    iso_name: 'ubuntu-24.04.iso',
    url: null,
    iso_id: null,
    email: null,
    customer_id: null,
    task_key: null,
    state: 'running',
    status: null,
    message: null,
    created_at: 1,
    accepted_at: 1,
    updated_at: 1,
    finished_at: null,
    polls: 0,
    ...over,
  };
}
const event = (type: TaskEvent['type'], over: Partial<Task>): TaskEvent => ({ type, task: task(over) });

describe('task notifications', () => {
  it('notifies when a task ends, with the API message and the task to open', () => {
    expect(noticeFor(event('finished', { state: 'succeeded', message: 'OK' }))).toEqual({
      title: 'Mounting ubuntu-24.04.iso on server 42: done',
      body: 'OK',
      taskKey: 'k1',
    });
    const failed = noticeFor(
      event('failed', { key: 'upload:https://x/y.iso', kind: 'upload', iso_name: null, url: 'https://x/y.iso', state: 'failed', status: 'Download error' }),
    );
    expect(failed).toEqual({ title: 'Uploading https://x/y.iso: failed', body: 'Download error', taskKey: 'upload:https://x/y.iso' });
    expect(noticeFor(event('unknown', { kind: 'unmount', state: 'unknown' }))?.title).toBe('Unmounting the ISO from server 42: outcome unknown');
  });

  it('stays quiet while a task is created or progressing', () => {
    expect(noticeFor(event('created', {}))).toBeNull();
    expect(noticeFor(event('progress', { status: 'Pending' }))).toBeNull();
    expect(noticeFor(event('cleared', { state: 'succeeded' }))).toBeNull();
  });
});

describe('running task count for the tray', () => {
  it('starts from the journal and follows events', () => {
    const running = new RunningTasks([task({ key: 'a' }), task({ key: 'b', state: 'succeeded' })]);
    expect(running.count).toBe(1);
    expect(running.apply(event('created', { key: 'c' }))).toBe(true);
    expect(running.apply(event('progress', { key: 'c' }))).toBe(false);
    expect(running.count).toBe(2);
    expect(running.apply(event('finished', { key: 'a', state: 'succeeded' }))).toBe(true);
    expect(running.apply(event('cleared', { key: 'c' }))).toBe(true);
    expect(running.count).toBe(0);
  });

  it('says how many are running', () => {
    expect(trayTooltip(0)).toBe('ISO Desk: no tasks running');
    expect(trayTooltip(1)).toBe('ISO Desk: 1 task running');
    expect(trayTooltip(3)).toBe('ISO Desk: 3 tasks running');
  });
});

describe('closing the window', () => {
  it('hides on macOS and wherever a tray can bring it back, quits otherwise or when quitting', () => {
    expect(closeAction('darwin', false, false)).toBe('hide');
    expect(closeAction('win32', true, false)).toBe('hide');
    expect(closeAction('linux', true, false)).toBe('hide');
    expect(closeAction('linux', false, false)).toBe('quit');
    expect(closeAction('win32', true, true)).toBe('quit');
    expect(closeAction('darwin', true, true)).toBe('quit');
  });
});

describe('secret storage', () => {
  it('encrypts with a real OS backend', () => {
    expect(chooseSecretStorage({ platform: 'darwin', encryptionAvailable: true, linuxBackend: null })).toEqual({ mode: 'encrypted' });
    expect(chooseSecretStorage({ platform: 'win32', encryptionAvailable: true, linuxBackend: null })).toEqual({ mode: 'encrypted' });
    expect(chooseSecretStorage({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'gnome_libsecret' })).toEqual({ mode: 'encrypted' });
    expect(chooseSecretStorage({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'kwallet6' })).toEqual({ mode: 'encrypted' });
  });

  it('keeps secrets in memory and says why when Linux would store plain text', () => {
    const choice = chooseSecretStorage({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'basic_text' });
    expect(choice.mode).toBe('memory');
    expect(choice.mode === 'memory' && choice.note).toMatch(/no keyring \(GNOME Keyring or KWallet\)/);
  });

  it('keeps secrets in memory when encryption is unavailable', () => {
    const choice = chooseSecretStorage({ platform: 'win32', encryptionAvailable: false, linuxBackend: null });
    expect(choice.mode === 'memory' && choice.note).toMatch(/encryption service is not available.*sign in again/);
  });
});

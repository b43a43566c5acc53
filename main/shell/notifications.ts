/**
 * Native notifications when a task or a job ends (or a job stops for the user), shown whether or not the window is visible. Clicking one
 * brings the window back and asks the renderer to open that task.
 */
import { Notification } from 'electron';
import type { AppEvents } from '../events/bus.js';
import { JobNotices, noticeFor, type Notice } from './task-notices.js';

export function notifyTaskEndings(events: AppEvents, icon: string, openTask: (key: string) => void): () => void {
  if (!Notification.isSupported()) return () => undefined;
  // Electron drops click handlers of notifications that were garbage-collected: keep them until used.
  const shown = new Set<Notification>();
  const jobs = new JobNotices();
  const show = (notice: Notice | null): void => {
    if (!notice) return;
    const notification = new Notification({ title: notice.title, body: notice.body, icon });
    shown.add(notification);
    notification.on('click', () => {
      shown.delete(notification);
      openTask(notice.taskKey);
    });
    notification.on('close', () => shown.delete(notification));
    notification.show();
  };
  const offTasks = events.on('tasks/changed', (event) => show(noticeFor(event)));
  const offJobs = events.on('jobs/changed', (event) => show(jobs.noticeFor(event)));
  return () => {
    offTasks();
    offJobs();
    shown.clear();
  };
}

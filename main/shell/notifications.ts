/**
 * Native notifications when a task or a job ends (or a job stops for the user), shown whether or not the window is visible. Clicking one
 * brings the window back and asks the renderer to open that task.
 */
import { Notification } from 'electron';
import type { AppEvents } from '../events/bus.js';
import type { Services } from '../services/types.js';
import { JobNotices, newReminders, noticeFor, type Notice } from './task-notices.js';

/** Shows one; Electron drops click handlers of notifications that were garbage-collected, so `shown` keeps them until used. */
function showNotification(shown: Set<Notification>, title: string, body: string, icon: string, onclick: () => void): void {
  const notification = new Notification({ title, body, icon });
  shown.add(notification);
  notification.on('click', () => {
    shown.delete(notification);
    onclick();
  });
  notification.on('close', () => shown.delete(notification));
  notification.show();
}

export function notifyTaskEndings(events: AppEvents, icon: string, openTask: (key: string) => void): () => void {
  if (!Notification.isSupported()) return () => undefined;
  const shown = new Set<Notification>();
  const jobs = new JobNotices();
  const show = (notice: Notice | null): void => {
    if (notice) showNotification(shown, notice.title, notice.body, icon, () => openTask(notice.taskKey));
  };
  const offTasks = events.on('tasks/changed', (event) => show(noticeFor(event)));
  const offJobs = events.on('jobs/changed', (event) => show(jobs.noticeFor(event)));
  return () => {
    offTasks();
    offJobs();
    shown.clear();
  };
}

/** How often the desktop looks for ISOs left attached (the reminder is about hours, not seconds). */
const REMINDER_CHECK_MS = 60_000;

/**
 * The detach reminder on the desktop (issue #9): every minute, the reminders the service finds
 * due (main/services/reminders.ts, the rule the window and the CLI use too) each raise one
 * notification, whether or not the window is visible. Clicking it shows that server.
 */
export function remindOfAttachedIsos(services: Pick<Services, 'reminders/due'>, icon: string, showServer: (serverId: number) => void): () => void {
  if (!Notification.isSupported()) return () => undefined;
  const shown = new Set<Notification>();
  const announced = new Set<string>();
  const check = async (): Promise<void> => {
    for (const due of newReminders(await services['reminders/due']({}), announced)) {
      showNotification(shown, due.title, due.body, icon, () => showServer(due.server_id));
    }
  };
  // Signed out, or the data folder unreadable for a moment: the next minute tries again.
  const timer = setInterval(() => void check().catch(() => undefined), REMINDER_CHECK_MS);
  // Never the reason the process stays up after quitting.
  timer.unref();
  return () => {
    clearInterval(timer);
    shown.clear();
  };
}

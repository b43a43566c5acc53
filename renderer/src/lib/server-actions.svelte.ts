/**
 * What the server panel's commands do — Boot from ISO, Back to disk, Power, Console — and how the
 * app follows the jobs they start. Every disruptive command first asks, naming the server by
 * hostname and IP; when HOSTKEY wants the account PIN the PIN dialog asks for it and the command
 * (or the waiting job) goes on. Components call these; they hold no workflow of their own.
 */
import { isAppError } from '../../../main/domain/errors.js';
import type { Job, JobChoice, JobEvent, JobPlan } from '../../../main/domain/jobs.js';
import type { Server } from '../../../main/domain/models.js';
import type { IsoDeskApi } from '../../../main/ipc/contract.js';
import { backToDiskQuestion, powerQuestion, serverIdentity, type PowerAction, type Question } from './boot-text.js';
import { jobNotice, jobServer, JOB_LABEL, stepLabel } from './job-text.js';
import type { Jobs } from './jobs.svelte.js';
import type { Power } from './power.svelte.js';
import type { DetachReminder } from './reminder.svelte.js';
import type { Servers } from './servers.svelte.js';
import type { Session } from './session.svelte.js';
import type { Toasts } from './toasts.svelte.js';
import type { Ui } from './ui.svelte.js';
import { formatElapsed } from './format.js';

export interface ServerActionDeps {
  api: IsoDeskApi;
  session: Session;
  servers: Servers;
  jobs: Jobs;
  power: Power;
  toasts: Toasts;
  ui: Ui;
  reminder: DetachReminder;
}

/** HOSTKEY locks the PIN after this many wrong tries (its control panel help). */
export const PIN_TRIES = 3;

export class ServerActions {
  /** Job states already announced (key, state and step), so repeated events do not notify twice. */
  private readonly announced = new Set<string>();

  constructor(private readonly d: ServerActionDeps) {}

  private ask(question: Question): Promise<boolean> {
    return this.d.ui.confirm(question);
  }

  /** Shows a job main just started and opens the task centre on it. */
  private started(job: Job): void {
    this.d.jobs.keep(job);
    this.d.ui.tasksOpen = true;
    this.d.ui.highlightTask = job.key;
  }

  /**
   * Runs `call`; when HOSTKEY wants the account PIN, asks for it, hands it to main (which keeps it
   * in memory) and runs `call` again. Answers null when the user cancels the PIN dialog.
   */
  async withPin<T>(purpose: string, call: () => Promise<T>): Promise<T | null> {
    for (;;) {
      try {
        return await call();
      } catch (err) {
        if (!isAppError(err, 'pin_required')) throw err;
        if (!(await this.supplyPin(purpose, err.message))) return null;
      }
    }
  }

  /** Asks for the PIN until main takes it; false when the user cancelled. */
  private async supplyPin(purpose: string, message: string | null): Promise<boolean> {
    let said = message;
    for (;;) {
      const status = await this.d.api.pin.status({});
      const pin = await this.d.ui.askPin({
        reason: status.locked ? 'locked' : status.wrong_tries > 0 ? 'wrong' : 'required',
        purpose,
        triesLeft: Math.max(0, PIN_TRIES - status.wrong_tries),
        message: said,
      });
      if (pin === null) return false;
      try {
        await this.d.api.pin.answer({ pin });
        return true;
      } catch (err) {
        // HOSTKEY checked it at once and said no: ask again, with its words.
        if (!isAppError(err, 'pin_required')) throw err;
        said = err.message;
      }
    }
  }

  /** What "Boot from ISO" would do on the server now (main plans it; the job runs exactly these steps). */
  bootPlan(server: Server, isoName: string | null): Promise<JobPlan> {
    return this.d.api.jobs.plan({ server_id: server.id, kind: 'boot_iso', ...(isoName ? { iso_name: isoName } : {}) });
  }

  /**
   * Starts "Boot from ISO" with the steps the dialog listed (main refuses if they changed
   * meanwhile); throws so the dialog can show HOSTKEY's refusal.
   */
  async bootFromIso(server: Server, isoName: string, confirmed: JobPlan): Promise<void> {
    const labels = confirmed.steps.map((s) => s.label);
    const job = await this.withPin(`Boot ${serverIdentity(server)} from ${isoName}`, () =>
      this.d.api.jobs.bootIso({ server_id: server.id, iso_name: isoName, confirmed: labels }),
    );
    if (job) this.started(job);
  }

  async backToDisk(server: Server): Promise<void> {
    await this.report(`Could not start “Back to disk” on ${serverIdentity(server)}`, async () => {
      const plan = await this.d.api.jobs.plan({ server_id: server.id, kind: 'back_to_disk' });
      if (!(await this.ask(backToDiskQuestion(server, plan)))) return;
      const confirmed = plan.steps.map((s) => s.label);
      const job = await this.withPin(`Back to disk on ${serverIdentity(server)}`, () => this.d.api.jobs.backToDisk({ server_id: server.id, confirmed }));
      if (job) this.started(job);
    });
  }

  async powerAction(server: Server, action: PowerAction): Promise<void> {
    const question = powerQuestion(action, server);
    if (!(await this.ask(question))) return;
    await this.report(`Could not start “${question.title}” on ${serverIdentity(server)}`, async () => {
      const job = await this.withPin(question.message.replace(/\?$/, ''), () => this.d.api.jobs.power({ server_id: server.id, action }));
      if (job) this.started(job);
    });
  }

  /** Reads the power state from HOSTKEY; `quiet` (the panel's own first reading) never asks for the PIN. */
  async readPower(server: Server, quiet = false): Promise<void> {
    const { power, toasts } = this.d;
    try {
      if (quiet) await power.read(server.id);
      else await this.withPin(`Read the power state of ${serverIdentity(server)}`, () => power.read(server.id));
    } catch (err) {
      if (!quiet) toasts.error(`Could not read the power state of ${serverIdentity(server)}`, err);
      else power.failed(server.id, err);
    }
  }

  /** "Console": HOSTKEY's noVNC console, opened in the OS browser, or (copy) its link on the clipboard. */
  async console(server: Server, copy: boolean): Promise<void> {
    const who = serverIdentity(server);
    await this.report(copy ? `Could not copy the console link of ${who}` : `Could not open the console of ${who}`, async () => {
      const answer = await this.withPin(`Console of ${who}`, () => this.d.api.console.open({ server_id: server.id, copy }));
      if (!answer) return;
      const title = answer.copied ? `Console link of ${who} copied` : answer.opened ? `Console of ${who} opened in your browser` : `Console of ${who}`;
      this.d.toasts.show(answer.opened || answer.copied ? 'success' : 'info', title, answer.message);
    });
  }

  /** Retry, skip, cancel or resume a stopped job. A step whose outcome is unknown is only sent again once the user says so. */
  async choose(job: Job, choice: JobChoice): Promise<void> {
    const step = job.current === null ? undefined : job.steps[job.current];
    if (choice === 'retry' && step?.state === 'unknown') {
      const again = await this.ask({
        title: 'Send the step again?',
        message: `Nobody saw how “${stepLabel(step)}” on ${jobServer(job)} ended: HOSTKEY may already have done it.`,
        points: ['Check the server first (its console or power state).', `Send “${stepLabel(step)}” again only if it did not happen.`],
        warning: step.action === 'reboot' || step.action === 'off' ? 'The server will go down again.' : null,
        confirmLabel: 'Send again',
        danger: true,
      });
      if (!again) return;
    }
    await this.report(`Could not ${choice} “${JOB_LABEL[job.kind]}” on ${jobServer(job)}`, async () => {
      const next = await this.withPin(`${JOB_LABEL[job.kind]} on ${jobServer(job)}`, () => this.d.api.jobs[choice]({ key: job.key }));
      if (next) this.d.jobs.keep(next);
    });
  }

  /** The PIN for jobs that wait for it (the task centre's "Enter PIN"). */
  async pinForJob(job: Job): Promise<void> {
    if (this.d.ui.pinRequest) return;
    const step = job.current === null ? undefined : job.steps[job.current];
    await this.report('Could not pass on the PIN', async () => {
      await this.supplyPin(`${step ? stepLabel(step) : JOB_LABEL[job.kind]} on ${jobServer(job)}`, job.message);
    });
  }

  private async report(title: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.d.toasts.error(title, err);
    }
  }

  onJobEvent = (event: JobEvent): void => {
    const { jobs, toasts, servers, power, session } = this.d;
    const job = jobs.apply(event);
    if (!job) return;
    // A power reading (the panel's, or main following an action) is shown when it ends, without a toast.
    if (job.kind === 'power_status') {
      if (event.type === 'ended') power.recall(job.server_id).catch(() => undefined);
      return;
    }
    // A job waiting for the PIN again (the last one was wrong) says so in a new message: ask again.
    const mark = `${job.key}/${job.state}/${job.current ?? ''}${job.state === 'needs_pin' ? `/${job.message ?? ''}` : ''}`;
    if (this.announced.has(mark)) return;
    this.announced.add(mark);
    if (job.state === 'needs_pin') {
      void this.pinForJob(job);
      return;
    }
    const notice = jobNotice(job);
    if (!notice) return;
    // A stopped job waits for the user: the notification leads to its choices.
    const action = job.state === 'stopped' ? { label: 'Show in Tasks', run: () => this.showJob(job.key) } : null;
    toasts.show(notice.tone, notice.title, notice.detail, action);
    // What the job changed (the mounted ISO, the power) is main's record now: show it.
    const profile = session.active?.name;
    if (profile) servers.load(profile).catch(() => undefined);
    power.recall(job.server_id).catch(() => undefined);
  };

  showJob(key: string): void {
    this.d.ui.tasksOpen = true;
    this.d.ui.highlightTask = key;
  }

  /** Notifies once per mount that has outlasted the reminder setting (main's rule, reminders/due), on any server of the profile. */
  async checkReminders(): Promise<void> {
    const { reminder, servers, session, toasts } = this.d;
    const profile = session.active?.name;
    if (!profile) return;
    for (const due of await reminder.refresh()) {
      if (!reminder.firstNotice(profile, due.server_id, due.mounted_at)) continue;
      const server = servers.items.find((s) => s.id === due.server_id);
      if (!server) continue;
      toasts.show(
        'info',
        due.title,
        `Mounted ${formatElapsed(due.attached_ms)} ago. An ISO left attached can make the server boot it again on its next reboot.`,
        {
          label: 'Back to disk…',
          run: () => {
            servers.select(server.id);
            void this.backToDisk(server);
          },
        },
      );
    }
  }
}

/** Mounting and unmounting ISOs on servers; each returns the task, written to the journal before the request. */
import type { ParsedRequest, Response } from '../ipc/contract.js';
import type { Journal, Acceptance } from '../tasks/journal.js';
import type { TaskTracker } from '../tasks/tracker.js';
import type { SessionService } from './session.js';

const NO_KEY = 'HOSTKEY accepted the request but returned no task key, so ISO Desk cannot follow it. Check the server in a minute.';

export class MountService {
  constructor(
    private readonly session: SessionService,
    private readonly journal: Journal,
    private readonly tracker: TaskTracker,
  ) {}

  async mount(req: ParsedRequest<'iso/mount'>): Promise<Response<'iso/mount'>> {
    const { profile, client } = await this.session.requireClient();
    const task = await this.journal.send(
      { kind: 'mount', profile: profile.name, server_id: req.server_id, iso_name: req.iso_name },
      () => client.mountIso(req.server_id, req.iso_name),
      (key) => this.accepted('mount', key),
    );
    this.tracker.wake();
    return task;
  }

  async unmount(req: ParsedRequest<'iso/unmount'>): Promise<Response<'iso/unmount'>> {
    const { profile, client } = await this.session.requireClient();
    const task = await this.journal.send(
      { kind: 'unmount', profile: profile.name, server_id: req.server_id },
      () => client.unmountIso(req.server_id),
      (key) => this.accepted('unmount', key),
    );
    this.tracker.wake();
    return task;
  }

  private accepted(kind: 'mount' | 'unmount', key: string | null): Acceptance {
    const first_poll_at = this.tracker.firstPollAt(kind);
    return key ? { task_key: key, first_poll_at } : { state: 'unknown', message: NO_KEY, first_poll_at };
  }
}

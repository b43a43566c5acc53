/** Mounting and unmounting ISOs on servers; each returns the tracked task. */
import type { ParsedRequest, Response } from '../ipc/contract.js';
import type { TaskTracker } from '../tasks/tracker.js';
import type { SessionService } from './session.js';
import type { Clock } from '../api/clock.js';

const NO_KEY = 'HOSTKEY accepted the request but returned no task key, so ISO Desk cannot follow it. Check the server in a minute.';

export class MountService {
  constructor(
    private readonly session: SessionService,
    private readonly tracker: TaskTracker,
    private readonly clock: Clock,
  ) {}

  async mount(req: ParsedRequest<'iso/mount'>): Promise<Response<'iso/mount'>> {
    const { profile, client } = await this.session.requireClient();
    const key = await client.mountIso(req.server_id, req.iso_name);
    return this.tracker.record({
      key: key ?? `mount:${this.clock.now().toString(36)}:${req.server_id}`,
      kind: 'mount',
      profile: profile.name,
      server_id: req.server_id,
      iso_name: req.iso_name,
      url: null,
      iso_id: null,
      ...(key ? {} : { state: 'unknown' as const, message: NO_KEY }),
    });
  }

  async unmount(req: ParsedRequest<'iso/unmount'>): Promise<Response<'iso/unmount'>> {
    const { profile, client } = await this.session.requireClient();
    const key = await client.unmountIso(req.server_id);
    return this.tracker.record({
      key: key ?? `unmount:${this.clock.now().toString(36)}:${req.server_id}`,
      kind: 'unmount',
      profile: profile.name,
      server_id: req.server_id,
      iso_name: null,
      url: null,
      iso_id: null,
      ...(key ? {} : { state: 'unknown' as const, message: NO_KEY }),
    });
  }
}

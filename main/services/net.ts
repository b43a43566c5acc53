/** Online/offline as the app knows it: whether HOSTKEY answered the last request at all. */
import type { NetStatus } from '../ipc/contract.js';
import type { AppEvents } from '../events/bus.js';
import type { Clock } from '../api/clock.js';

export class NetMonitor {
  private status: NetStatus = { online: true, last_ok_at: null, last_error: null };

  constructor(
    private readonly events: AppEvents,
    private readonly clock: Clock,
  ) {}

  get current(): NetStatus {
    return { ...this.status };
  }

  /** Fed by the transport after every exchange. */
  report(reachable: boolean, problem: string | null): void {
    const next: NetStatus = reachable
      ? { online: true, last_ok_at: this.clock.now(), last_error: null }
      : { online: false, last_ok_at: this.status.last_ok_at, last_error: problem };
    const changed = next.online !== this.status.online || next.last_error !== this.status.last_error;
    this.status = next;
    if (changed) this.events.emit('net/changed', this.current);
  }

  /** --offline: the app never touches the network. */
  forceOffline(reason: string): void {
    this.status = { online: false, last_ok_at: null, last_error: reason };
  }
}

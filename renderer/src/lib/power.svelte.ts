/**
 * What ISO Desk knows of each server's power, boot device and mounted ISO (main's record), and the
 * readings in flight. A reading is an eq.php status call HOSTKEY answers through a callback, so it
 * takes a few seconds; the panel shows the last one with the time it was read.
 */
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { IsoDeskApi } from '../../../main/ipc/contract.js';
import type { PowerStatus } from '../../../main/domain/jobs.js';
import { isAppError } from '../../../main/domain/errors.js';
import { errorText } from './errors.js';

export class Power {
  private readonly byServer = new SvelteMap<number, PowerStatus>();
  /** Servers whose power state is being read now. */
  readonly reading = new SvelteSet<number>();
  /** Why the last reading of a server failed, in plain words (cleared by the next success); pin: HOSTKEY wants the account PIN. */
  readonly failures = new SvelteMap<number, { text: string; pin: boolean }>();
  /** Servers read (or being read) in this session: each is read once by itself when first shown. */
  private readonly asked = new Set<number>();

  constructor(private readonly api: IsoDeskApi) {}

  get(serverId: number): PowerStatus | undefined {
    return this.byServer.get(serverId);
  }

  all(): PowerStatus[] {
    return [...this.byServer.values()];
  }

  /** Main's record for every server of the profile (no request to HOSTKEY). */
  async load(): Promise<void> {
    const all = await this.api.power.list({});
    this.byServer.clear();
    for (const status of all) this.byServer.set(status.server_id, status);
  }

  /** Main's record for one server, without asking HOSTKEY. */
  async recall(serverId: number): Promise<void> {
    this.byServer.set(serverId, await this.api.power.status({ server_id: serverId, refresh: false }));
  }

  /** Asks HOSTKEY for the power state; resolves once it answered (or throws its refusal). */
  async read(serverId: number): Promise<PowerStatus> {
    this.asked.add(serverId);
    this.reading.add(serverId);
    try {
      const status = await this.api.power.status({ server_id: serverId, refresh: true });
      this.byServer.set(serverId, status);
      this.failures.delete(serverId);
      return status;
    } finally {
      this.reading.delete(serverId);
    }
  }

  /** Main began following a server's power after an action, read it on the way, or ended ('power/changed'). */
  onChanged = (status: PowerStatus): void => {
    this.byServer.set(status.server_id, status);
  };

  failed(serverId: number, err: unknown): void {
    this.failures.set(serverId, { text: errorText(err), pin: isAppError(err, 'pin_required') });
  }

  /** True the first time a server is shown in this session (it is then read by itself). */
  firstShown(serverId: number): boolean {
    if (this.asked.has(serverId)) return false;
    this.asked.add(serverId);
    return true;
  }

  reset(): void {
    this.byServer.clear();
    this.reading.clear();
    this.failures.clear();
    this.asked.clear();
  }
}

/**
 * What the local API knows of each server's power, boot device and console, of account PINs,
 * and the faults tests inject into these actions. Read from shared/docs/hostkey-power-console.md:
 * bare metal answers status with IPMI words ("Chassis Power is on"), a VM with "VM is up now";
 * a reboot leaves the server "rebooting" for a few seconds; the console is a noVNC page whose
 * address carries a one-time password; three wrong PINs lock the PIN.
 */
import { randomBytes } from 'node:crypto';
import type { Account, ServerRecord } from './records.js';

export type Media = 'cd' | 'disk' | 'pxe';
export type Power = 'on' | 'off' | 'rebooting';

interface ServerPower {
  on: boolean;
  rebootingUntil: number;
  media: Media;
  /** What the server last booted from, as its console shows it. */
  bootedFrom: string;
}

interface ConsoleSession {
  serverId: number;
  lastUsedAt: number;
}

/** Where a fault strikes: HOSTKEY refuses the request at once, or accepts it and the task fails. */
export type FaultStage = 'answer' | 'task';

export interface ActionFault {
  message: string;
  stage: FaultStage;
}

/** A console closes after this long without use, as HOSTKEY's relay does (its timeout is undocumented). */
const CONSOLE_IDLE_MS = 15 * 60_000;
const PIN_TRIES = 3;

export class PowerBoard {
  private readonly servers = new Map<number, ServerPower>();
  private readonly consoles = new Map<string, ConsoleSession>();
  private readonly wrongPins = new Map<string, number>();
  private readonly faults = new Map<string, ActionFault>();

  constructor(
    private readonly now: () => number,
    readonly rebootMs: number,
  ) {}

  private of(server: ServerRecord): ServerPower {
    let state = this.servers.get(server.id);
    if (!state) {
      state = { on: server.condition !== 'power_off', rebootingUntil: 0, media: 'disk', bootedFrom: 'disk' };
      this.servers.set(server.id, state);
    }
    return state;
  }

  power(server: ServerRecord): Power {
    const state = this.of(server);
    if (this.now() < state.rebootingUntil) return 'rebooting';
    return state.on ? 'on' : 'off';
  }

  media(server: ServerRecord): Media {
    return this.of(server).media;
  }

  bootedFrom(server: ServerRecord): string {
    return this.of(server).bootedFrom;
  }

  /** The status check's `scope`: IPMI words for bare metal, oVirt's for a VM. */
  statusText(server: ServerRecord): string {
    const power = this.power(server);
    if (server.virtual) return power === 'on' ? 'VM is up now' : power === 'off' ? 'VM is down now' : 'VM is rebooting now';
    return power === 'on' ? 'Chassis Power is on' : power === 'off' ? 'Chassis Power is off' : 'Chassis Power is on, the server is rebooting';
  }

  setPower(server: ServerRecord, on: boolean): void {
    const state = this.of(server);
    if (on && !state.on) state.bootedFrom = this.bootSource(server, state);
    state.on = on;
    state.rebootingUntil = 0;
  }

  reboot(server: ServerRecord): void {
    const state = this.of(server);
    state.on = true;
    state.rebootingUntil = this.now() + this.rebootMs;
    state.bootedFrom = this.bootSource(server, state);
  }

  setMedia(server: ServerRecord, media: Media): void {
    this.of(server).media = media;
  }

  /** A VM boots from an attached ISO by itself; bare metal from the device boot_dev chose. */
  private bootSource(server: ServerRecord, state: ServerPower): string {
    if (server.mountedIso !== null && (state.media === 'cd' || server.virtual)) return `the ISO ${server.mountedIso}`;
    if (state.media === 'pxe') return 'the network (PXE)';
    return 'disk';
  }

  /** A new console for the server: the one-time password its address carries. */
  openConsole(server: ServerRecord): string {
    const password = randomBytes(12).toString('hex');
    this.consoles.set(password, { serverId: server.id, lastUsedAt: this.now() });
    return password;
  }

  /** The server whose console this password opens, or null (unknown, stopped or idle too long). */
  useConsole(password: string): number | null {
    const session = this.consoles.get(password);
    if (!session) return null;
    if (this.now() - session.lastUsedAt > CONSOLE_IDLE_MS) {
      this.consoles.delete(password);
      return null;
    }
    session.lastUsedAt = this.now();
    return session.serverId;
  }

  /** Closes every console of the server; how many there were. */
  stopConsoles(server: ServerRecord): number {
    let stopped = 0;
    for (const [password, session] of this.consoles) {
      if (session.serverId !== server.id) continue;
      this.consoles.delete(password);
      stopped++;
    }
    return stopped;
  }

  /**
   * The account's PIN check for a sensitive action: null when it may go on, else HOSTKEY's
   * refusal. Accounts without a PIN ignore the field (HOSTKEY's WHMCS module sends `pin=not_set`).
   */
  pinRefusal(account: Account, pin: string | null): string | null {
    if (account.pin === undefined) return null;
    const wrong = this.wrongPins.get(account.key) ?? 0;
    if (wrong >= PIN_TRIES) return 'PIN code is locked after 3 wrong attempts. Contact support to reset it.';
    if (pin === null) return 'PIN code required for this operation';
    if (pin === account.pin) {
      this.wrongPins.set(account.key, 0);
      return null;
    }
    this.wrongPins.set(account.key, wrong + 1);
    const left = PIN_TRIES - wrong - 1;
    return left > 0
      ? `Invalid PIN code, ${left} attempt${left === 1 ? '' : 's'} left`
      : 'Invalid PIN code. PIN code is locked after 3 wrong attempts. Contact support to reset it.';
  }

  /** Fault injection: the next request for `action` is refused, or its task fails, with `message`. */
  failNext(action: string, fault: ActionFault | null): void {
    if (fault) this.faults.set(action, fault);
    else this.faults.delete(action);
  }

  takeFault(action: string): ActionFault | null {
    const fault = this.faults.get(action) ?? null;
    this.faults.delete(action);
    return fault;
  }

  pendingFaults(): Record<string, ActionFault> {
    return Object.fromEntries(this.faults);
  }

  clearFaults(): void {
    this.faults.clear();
  }
}

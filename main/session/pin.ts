/**
 * The HOSTKEY account PIN, kept the way HOSTKEY's panel keeps it ("asked once at the beginning
 * of the session… not recorded to the cookie or session key"): in this process's memory only,
 * per profile, never written to disk, logs or the journal. It also counts the wrong PINs HOSTKEY
 * reported in this session, because the account locks after three (fields.ts PIN_TRIES).
 */
import { AppError } from '../domain/errors.js';
import type { PinStatus } from '../domain/jobs.js';
import { PIN_TRIES } from '../api/fields.js';
import { pinProblem } from '../api/envelope.js';

interface Held {
  pin: string | undefined;
  wrong: number;
  locked: boolean;
}

export class PinKeeper {
  private readonly held = new Map<string, Held>();

  private of(profile: string): Held {
    let h = this.held.get(profile);
    if (!h) {
      h = { pin: undefined, wrong: 0, locked: false };
      this.held.set(profile, h);
    }
    return h;
  }

  get(profile: string): string | undefined {
    const h = this.held.get(profile);
    return h && !h.locked ? h.pin : undefined;
  }

  /** The user typed a PIN. After a lock, typing one again means support has reset it. */
  set(profile: string, pin: string): void {
    const h = this.of(profile);
    h.pin = pin;
    h.locked = false;
  }

  forget(profile: string): void {
    this.held.delete(profile);
  }

  status(profile: string): PinStatus {
    const h = this.held.get(profile);
    return { held: h?.pin !== undefined && !h.locked, wrong_tries: h?.wrong ?? 0, locked: h?.locked ?? false };
  }

  accepted(profile: string): void {
    const h = this.held.get(profile);
    if (h) h.wrong = 0;
  }

  /**
   * HOSTKEY refused the PIN or asked for one: forgets a wrong PIN and says plainly where the
   * account stands. Never quotes the PIN.
   */
  refused(profile: string, err: AppError): string {
    const h = this.of(profile);
    const problem = err.kind === 'pin_locked' ? 'locked' : pinProblem(err.message);
    if (problem === 'locked' || (problem === 'wrong' && h.wrong + 1 >= PIN_TRIES)) {
      h.wrong = Math.max(h.wrong + (problem === 'wrong' ? 1 : 0), PIN_TRIES);
      h.locked = true;
      h.pin = undefined;
      return `HOSTKEY has locked the account PIN after ${PIN_TRIES} wrong tries ("${err.message}"). Only HOSTKEY support can reset it; ISO Desk will not send a PIN again until you enter one after the reset.`;
    }
    if (problem === 'wrong' && h.pin !== undefined) {
      h.wrong++;
      h.pin = undefined;
      const left = PIN_TRIES - h.wrong;
      return `HOSTKEY says the PIN is wrong ("${err.message}"). ${h.wrong} of ${PIN_TRIES} tries used: ${left === 1 ? 'one more wrong PIN locks it' : `${left} left before it locks`}.`;
    }
    return `HOSTKEY asks for the account PIN ("${err.message}"). Enter it to go on; ISO Desk keeps it in memory for this session only.`;
  }

  /** The error to show for a refusal outside a job (console, power status), with the same plain words. */
  toError(profile: string, err: AppError): AppError {
    const message = this.refused(profile, err);
    return new AppError(this.of(profile).locked ? 'pin_locked' : 'pin_required', message, { code: err.code });
  }
}

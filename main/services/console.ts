/**
 * "Console": asks HOSTKEY for the server's noVNC console and opens it in the OS browser (or puts
 * it on the clipboard). The address carries a one-time password, so it is a secret: it is held in
 * memory for the moment it takes to hand it over, never logged, never cached, never journaled,
 * and never sent to the renderer. HOSTKEY's check result is followed here, not by the tracker,
 * for that reason (the tracker stores check results in the journal).
 */
import { AppError, isAppError } from '../domain/errors.js';
import type { ConsoleOpened } from '../domain/jobs.js';
import type { HostkeyClient } from '../api/client.js';
import type { Clock } from '../api/clock.js';
import type { PinKeeper } from '../session/pin.js';
import type { DesktopActions } from './desktop.js';
import type { SessionService } from './session.js';

/** How long HOSTKEY may take to start a console (its relay container). */
const CONSOLE_WAIT_MS = 120_000;
const SECRET_NOTE =
  'The link holds a one-time password: anyone who has it can see and control the server\u2019s screen. HOSTKEY closes the console after a while without use; ask for a new one then.';

export class ConsoleService {
  constructor(
    private readonly session: SessionService,
    private readonly pins: PinKeeper,
    private readonly desktop: DesktopActions,
    private readonly clock: Clock,
  ) {}

  /** The console's address. Callers hand it over and forget it. */
  async url(serverId: number): Promise<string> {
    const { profile, client } = await this.session.requireClient();
    const pin = this.pins.get(profile.name);
    try {
      const start = await client.openConsole(serverId, pin);
      if (pin !== undefined) this.pins.accepted(profile.name);
      return 'url' in start ? start.url : await this.follow(client, start.key);
    } catch (err) {
      if (isAppError(err, 'pin_required') || isAppError(err, 'pin_locked')) throw this.pins.toError(profile.name, err);
      throw err;
    }
  }

  async open(serverId: number, copy: boolean): Promise<ConsoleOpened> {
    if (copy && !this.desktop.copyText) {
      throw new AppError('validation', 'There is no clipboard here.', { hint: 'Use "isodesk console --show-url", or Copy link in the desktop app.' });
    }
    const url = await this.url(serverId);
    if (copy && this.desktop.copyText) {
      await this.desktop.copyText(url);
      return { server_id: serverId, opened: false, copied: true, message: `The console link is on the clipboard. ${SECRET_NOTE}` };
    }
    await this.desktop.openExternal(url);
    return { server_id: serverId, opened: true, copied: false, message: `The console opened in your browser. ${SECRET_NOTE}` };
  }

  async stop(serverId: number): Promise<{ message: string | null }> {
    const { profile, client } = await this.session.requireClient();
    try {
      const answer = await client.stopConsole(serverId, this.pins.get(profile.name));
      return { message: answer.message ?? 'HOSTKEY is closing the console.' };
    } catch (err) {
      if (isAppError(err, 'pin_required') || isAppError(err, 'pin_locked')) throw this.pins.toError(profile.name, err);
      throw err;
    }
  }

  /** Asks eq_callback about the novnc task until it answers, in memory (see the file comment). */
  private async follow(client: HostkeyClient, key: string): Promise<string> {
    const deadline = this.clock.now() + CONSOLE_WAIT_MS;
    for (let wait = 1000; this.clock.now() < deadline; wait = Math.min(wait * 1.5, 8000)) {
      await this.clock.sleep(wait);
      let check;
      try {
        check = await client.checkTask(key);
      } catch (err) {
        if (isAppError(err, 'transient') || isAppError(err, 'bad_answer')) continue;
        throw err;
      }
      if (check.state === 'running') continue;
      if (check.state === 'ok') {
        const url = client.consoleUrlFrom(check.result);
        if (url) return url;
        throw new AppError('bad_answer', 'HOSTKEY started the console but its answer holds no address to open.');
      }
      if (check.state === 'failed') throw new AppError('task_failed', `HOSTKEY could not start the console: ${check.message}`);
      throw new AppError('unknown_outcome', `HOSTKEY no longer knows the console request (${check.message}).`, { hint: 'Ask for the console again.' });
    }
    throw new AppError('transient', 'HOSTKEY did not start the console within two minutes.', { hint: 'Try again in a moment.' });
  }
}

/**
 * eq.php power (status, on, off, reboot), boot device (boot_dev) and console (novnc,
 * stop_novnc), as shared/docs/hostkey-power-console.md describes them: flat `id`, every action
 * asynchronous (`{"result":"OK","action":…,"callback":…}`, then eq_callback check), the PIN
 * checked on the sensitive ones for accounts that set one, a virtual machine refusing
 * boot_dev media=cd, and any fault a test injected for the action.
 */
import { invalidArgument, refuse, type JsonObject } from '../envelopes.js';
import { PARAMS, argumentName } from '../spec.js';
import type { ServerRecord } from '../records.js';
import type { Media } from '../power.js';
import type { TaskAction, TaskOutcome } from '../tasks.js';
import { requireSession, type ApiRequest, type Handler } from './request.js';

type PowerAction = Extract<TaskAction, 'status' | 'on' | 'off' | 'reboot' | 'boot_dev' | 'novnc' | 'stop_novnc'>;

/** The actions that ask an account with a PIN for it (the panel asks "for all crucial operations"). */
const NEEDS_PIN: ReadonlySet<PowerAction> = new Set(['on', 'off', 'reboot', 'boot_dev', 'novnc', 'stop_novnc']);
const MEDIA: readonly Media[] = ['cd', 'disk', 'pxe'];

function bmc(server: ServerRecord): string {
  return server.virtual ? `oVirt VM ${server.id}` : `BMC ${server.ips[0]?.ip ?? server.id}`;
}

/**
 * Runs one action: session, server, PIN and injected faults first (refusals, nothing happens),
 * then `act` changes the world and says how its task will end.
 */
function start(request: ApiRequest, action: PowerAction, act: (server: ServerRecord) => () => TaskOutcome): JsonObject {
  const session = requireSession(request);
  const { params, world } = request;
  const server = world.serverFor(session, params.requiredInt(PARAMS.power.id));
  if (!server) throw refuse('Server not found');
  if (NEEDS_PIN.has(action)) {
    const refusal = world.power.pinRefusal(session.account, params.text(PARAMS.power.pin));
    if (refusal) throw refuse(refusal);
  }
  const fault = world.power.takeFault(action);
  if (fault?.stage === 'answer') throw refuse(fault.message);
  // An injected task failure changes nothing: the device refused.
  const report = fault ? () => ({ ok: false, scope: `${action} failed: ${fault.message}`, debug: `${bmc(server)}: ${fault.message}` }) : act(server);
  const task = world.tasks.start({ owner: session.account, action, server, isoName: null, failure: fault?.message ?? null, report });
  return { result: 'OK', action, callback: task.key };
}

function powerOutcome(server: ServerRecord, scope: string, debug: string): () => TaskOutcome {
  return () => ({ ok: true, scope, debug: server.virtual ? null : debug });
}

export const powerHandlers = {
  status: (request) =>
    start(request, 'status', (server) => () => {
      const text = request.world.power.statusText(server);
      return { ok: true, scope: text, debug: server.virtual ? null : text };
    }),
  on: (request) =>
    start(request, 'on', (server) => {
      request.world.power.setPower(server, true);
      return powerOutcome(server, 'Power is on', 'Chassis Power Control: Up/On');
    }),
  off: (request) =>
    start(request, 'off', (server) => {
      request.world.power.setPower(server, false);
      return powerOutcome(server, 'Power is off', 'Chassis Power Control: Down/Off');
    }),
  reboot: (request) =>
    start(request, 'reboot', (server) => {
      const { power } = request.world;
      if (power.power(server) === 'off') {
        return () => ({ ok: false, scope: 'Reboot failed: the server is powered off. Power it on instead.', debug: 'Chassis Power Control: Reset failed' });
      }
      power.reboot(server);
      return powerOutcome(server, `Server rebooted; booting from ${power.bootedFrom(server)}`, 'Chassis Power Control: Reset');
    }),
  boot_dev: (request) => {
    const field = PARAMS.boot_dev.media;
    const media = request.params.requiredText(field).toLowerCase();
    if (!MEDIA.includes(media as Media)) throw invalidArgument(argumentName(field), `must be one of ${MEDIA.join(', ')}`);
    return start(request, 'boot_dev', (server) => {
      if (server.virtual && media === 'cd') {
        throw refuse('boot_dev media=cd is not supported for virtual servers: a VM boots from an attached ISO by itself');
      }
      request.world.power.setMedia(server, media as Media);
      return powerOutcome(server, `Boot device set to ${media}`, `Set Boot Device to ${media === 'cd' ? 'cdrom' : media}`);
    });
  },
  novnc: (request) =>
    start(request, 'novnc', (server) => {
      const password = request.world.power.openConsole(server);
      const host = server.ips.find((i) => i.main)?.ip ?? '';
      const url = new URL('/vnc.html', request.world.publicUrl || 'http://127.0.0.1');
      url.search = new URLSearchParams({ host, port: url.port || '80', autoconnect: 'true', password }).toString();
      return () => ({ ok: true, scope: url.href, debug: 'debug' });
    }),
  stop_novnc: (request) =>
    start(request, 'stop_novnc', (server) => {
      const stopped = request.world.power.stopConsoles(server);
      return () => ({ ok: true, scope: stopped ? 'NoVNC console stopped' : 'No NoVNC console was running', debug: null });
    }),
} satisfies Record<PowerAction, Handler>;

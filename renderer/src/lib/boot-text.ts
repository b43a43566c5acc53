/**
 * What the server panel's disruptive commands say before they run: each names the server by
 * hostname and IP (two servers can share a hostname; nobody mistakes an address), says what will
 * happen step by step, and says plainly when the server goes down.
 */
import type { JobPlan } from '../../../main/domain/jobs.js';
import type { Server } from '../../../main/domain/models.js';

export type PowerAction = 'on' | 'off' | 'reboot';

/** "web-01.example (185.70.104.21)"; the id stands in for what HOSTKEY did not send. */
export function serverIdentity(server: Pick<Server, 'id' | 'hostname' | 'main_ip'>): string {
  const name = server.hostname ?? `Server ${server.id}`;
  return server.main_ip ? `${name} (${server.main_ip})` : name;
}

export interface Question {
  title: string;
  message: string;
  /** What will happen, in order. */
  points: string[];
  /** Said apart, in the warning colour: the server goes down. */
  warning: string | null;
  confirmLabel: string;
  danger: boolean;
}

const GOES_DOWN = 'The server will go down: programs running on it stop and connections to it drop.';

export const POWER_LABEL: Record<PowerAction, string> = { on: 'Power on', off: 'Power off', reboot: 'Reboot' };

export function powerQuestion(action: PowerAction, server: Server): Question {
  const who = serverIdentity(server);
  switch (action) {
    case 'on':
      return {
        title: 'Power on',
        message: `Power on ${who}?`,
        points: ['HOSTKEY switches the server on; it boots from its current boot device.'],
        // HOSTKEY documents `on` as "reboot/power on": a server that is already on may restart.
        warning: 'If the server is already on, HOSTKEY may restart it.',
        confirmLabel: 'Power on',
        danger: false,
      };
    case 'off':
      return {
        title: 'Power off',
        message: `Power off ${who}?`,
        points: ['HOSTKEY switches the server off.', 'It stays off until someone powers it on again.'],
        warning: GOES_DOWN,
        confirmLabel: 'Power off',
        danger: true,
      };
    case 'reboot':
      return {
        title: 'Reboot',
        message: `Reboot ${who}?`,
        points: ['HOSTKEY restarts the server; it comes back from its current boot device.'],
        warning: GOES_DOWN,
        confirmLabel: 'Reboot',
        danger: true,
      };
  }
}

/** The steps a job will run (main's plan for this server, jobs/plan), then why they differ from the usual ones. */
export function planPoints(plan: Pick<JobPlan, 'steps' | 'notes'>): string[] {
  return [...plan.steps.map((s) => s.label), ...plan.notes];
}

export const BOOT_WARNING = `${GOES_DOWN} It starts again from the ISO: an installer on it may erase the disks once you go on in the console.`;

export function backToDiskQuestion(server: Server, plan: Pick<JobPlan, 'steps' | 'notes'>): Question {
  const restarts = plan.steps.some((s) => s.action === 'reboot' || s.action === 'on');
  return {
    title: 'Back to disk',
    message: `Boot ${serverIdentity(server)} from its disk again?`,
    points: planPoints(plan),
    warning: restarts ? GOES_DOWN : null,
    confirmLabel: 'Back to disk',
    danger: true,
  };
}

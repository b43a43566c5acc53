/**
 * What a task that ended well tells of its server, written to server_power by the one process
 * that stored the outcome (the tracker): the ISO mounted and since when, the power state (from
 * HOSTKEY's status words, or the action that set it), and the boot device a job step chose.
 */
import type { PowerState } from '../domain/jobs.js';
import type { Cache, TrackedTask } from '../cache/index.js';
import { powerStateOf } from '../api/check-result.js';

const SET_BY: Partial<Record<TrackedTask['kind'], PowerState>> = { power_on: 'on', power_off: 'off', reboot: 'rebooting' };

export function recordServerState(cache: Cache, task: TrackedTask, message: string | null, at: number): void {
  if (task.server_id === null) return;
  const power = cache.serverPower;
  switch (task.kind) {
    case 'mount':
    case 'unmount':
      cache.servers.setMounted(task.profile, task.server_id, task.kind === 'mount' ? task.iso_name : null);
      power.setMounted(task.profile, task.server_id, task.kind === 'mount' ? task.iso_name : null, at);
      return;
    case 'power_status':
      power.setPower(task.profile, task.server_id, powerStateOf(message), message, at);
      return;
    case 'power_on':
    case 'power_off':
    case 'reboot':
      power.setPower(task.profile, task.server_id, SET_BY[task.kind] ?? 'unknown', message, at);
      return;
    case 'boot_dev': {
      const media = task.job_key && task.job_step != null ? cache.jobs.get(task.job_key)?.plan[task.job_step]?.media : null;
      if (media) power.setBootMedia(task.profile, task.server_id, media, at);
      return;
    }
    case 'upload':
  }
}

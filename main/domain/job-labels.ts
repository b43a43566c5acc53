/** How jobs and their steps read for people (the CLI, the app, notifications); plain data, no zod. */
import type { JobKind, JobStep } from './jobs.js';

/** A power-status reading is the server panel's business, not a job people follow: the lists of jobs (the task centre, `isodesk tasks`) leave it out. */
export function followedByPeople(job: { kind: JobKind }): boolean {
  return job.kind !== 'power_status';
}

/** How a step and a job read, for people (the CLI, the app, notifications): "Mount ubuntu.iso", "Set the boot device to CD (the ISO)", "Reboot": how a step reads. */
export function stepLabel(s: Pick<JobStep, 'action' | 'media' | 'iso_name'>): string {
  switch (s.action) {
    case 'mount_iso':
      return `Mount ${s.iso_name ?? 'the ISO'}`;
    case 'unmount_iso':
      return 'Unmount the ISO';
    case 'boot_dev':
      return s.media === 'cd'
        ? 'Set the boot device to CD (the ISO)'
        : s.media === 'pxe'
          ? 'Set the boot device to the network (PXE)'
          : 'Set the boot device to disk';
    case 'on':
      return 'Power on';
    case 'off':
      return 'Power off';
    case 'reboot':
      return 'Reboot';
    case 'status':
      return 'Read the power state';
  }
}

export const JOB_TITLE: Record<JobKind, string> = {
  boot_iso: 'Boot from ISO',
  back_to_disk: 'Back to disk',
  power_on: 'Power on',
  power_off: 'Power off',
  reboot: 'Reboot',
  power_status: 'Power status',
};

/** How jobs and their steps read in the terminal. */
import { JOB_TITLE, stepLabel } from '../domain/job-labels.js';
import type { Job } from '../domain/jobs.js';
import { formatTime } from './format.js';

/** "server 40211 (web-ams-01.example, 185.70.104.21)" */
export function serverText(s: { server_id: number; hostname: string | null; main_ip: string | null }): string {
  const names = [s.hostname, s.main_ip].filter(Boolean).join(', ');
  return names ? `server ${s.server_id} (${names})` : `server ${s.server_id}`;
}

/** "Boot from ISO ubuntu.iso on server 40211 (…)" */
export function jobTitle(job: Job): string {
  return `${JOB_TITLE[job.kind]}${job.iso_name ? ` ${job.iso_name}` : ''} on ${serverText(job)}`;
}

/** The short key people type back (`isodesk tasks retry 3f2a9c1e`). */
export function shortKey(key: string): string {
  return key.slice(0, 8);
}

/** One line per step: "  2/3 Set the boot device to CD (the ISO)   failed   boot_dev media=cd is not…" */
export function stepLines(job: Job): string[] {
  const width = Math.max(...job.steps.map((s) => stepLabel(s).length));
  return job.steps.map((s) => {
    const marker = job.current === s.index && job.state !== 'running' ? '>' : ' ';
    const tries = s.attempts > 1 ? ` (${s.attempts} tries)` : '';
    const message = s.message && s.state !== 'pending' ? `  ${s.message}` : '';
    return `  ${marker}${s.index + 1}/${job.steps.length} ${stepLabel(s).padEnd(width)}  ${s.state}${tries}${message}`;
  });
}

/** The job's heading line for `isodesk tasks`. */
export function jobHeading(job: Job): string {
  return `${shortKey(job.key)}  ${formatTime(job.created_at)}  ${jobTitle(job)}: ${job.state.replace('_', ' ')}`;
}

/** How numbers, dates and servers read on screen. */
import type { Server } from '../../../main/domain/models.js';
import { SERVER_STATE_LABEL } from '../../../main/domain/server-state.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** 2147483648 → "2.0 GiB"; bytes stay whole ("512 B"). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** The API writes dates as "2024-01-15T10:30:00Z" or "2024-01-15 10:30:00"; both become a Date. */
export function parseApiDate(text: string | null | undefined): Date | null {
  if (!text) return null;
  const normalised = /^\d{4}-\d{2}-\d{2} \d/.test(text) ? text.replace(' ', 'T') : text;
  const date = new Date(normalised);
  return Number.isNaN(date.getTime()) ? null : date;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A date from the API for a list column; text the API sent that is not a date is shown as is. */
export function formatApiDate(text: string | null | undefined): string {
  const date = parseApiDate(text);
  return date ? dateFormat.format(date) : (text ?? '—');
}

export function formatApiDateTime(text: string | null | undefined): string {
  const date = parseApiDate(text);
  return date ? dateTimeFormat.format(date) : (text ?? '—');
}

/** A moment this app recorded (ms since the epoch): the time alone when it was today. */
export function formatMoment(ms: number, now: number = Date.now()): string {
  const date = new Date(ms);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  return sameDay ? timeFormat.format(date) : dateTimeFormat.format(date);
}

/** The time of a check, to the second: watching a download, minutes are too coarse. */
export function formatClock(ms: number): string {
  return clockFormat.format(new Date(ms));
}

/** 75_000 → "1m 15s"; 3_700_000 → "1h 1m". */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** How old something is, in the largest whole unit: "today", "3 days", "5 months", "2 years". */
export function formatAge(ms: number): string {
  const days = Math.floor(Math.max(0, ms) / 86_400_000);
  if (days < 1) return 'today';
  if (days < 60) return days === 1 ? '1 day' : `${days} days`;
  if (days < 730) return `${Math.floor(days / 30.44)} months`;
  return `${Math.floor(days / 365.25)} years`;
}

/** Built once: toLocaleString() sets up a formatter on every call, and the count changes per keystroke. */
const countFormat = new Intl.NumberFormat();

export function formatCount(n: number): string {
  return countFormat.format(n);
}

/** An ISO's display name; list_iso often sends none, and then (as main sorts) the file name stands in. */
export function isoName(iso: { name?: string | undefined; iso_name: string }): { text: string; fallback: boolean } {
  return iso.name ? { text: iso.name, fallback: false } : { text: iso.iso_name, fallback: true };
}

/** The name people know a server by. */
export function serverName(server: Pick<Server, 'id' | 'hostname' | 'main_ip'>): string {
  return server.hostname ?? server.main_ip ?? `Server ${server.id}`;
}

/** The server picker's option: the name people know it by, and its state unless it is active. */
export function serverOption(server: Server): string {
  const name = serverName(server);
  return server.state === 'active' ? name : `${name} (${SERVER_STATE_LABEL[server.state].toLowerCase()})`;
}

/** How the CLI writes sizes, times and durations for people. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 2147483648 → "2.0 GiB"; unknown sizes → "-". */
export function formatSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '-';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time as YYYY-MM-DD HH:MM; unknown → "-". */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const WITHOUT_ZONE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d+)?)?$/;

/**
 * A date string from HOSTKEY. Timestamps with a zone are shown in local time; those without one
 * (history's "2024-01-15 10:30:00") are in the API's unknown zone, so they are shown as given.
 */
export function formatApiDate(text: string | null | undefined): string {
  if (!text) return '-';
  const value = text.trim();
  if (WITH_ZONE.test(value)) {
    const ms = Date.parse(value.replace(' ', 'T'));
    if (Number.isFinite(ms)) return formatTime(ms);
  }
  const bare = WITHOUT_ZONE.exec(value);
  return bare ? `${bare[1]} ${bare[2]}` : value;
}

/** Elapsed time: "42s", "3m05s", "1h02m". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
}

/** A token expiry (unix seconds) with how far away it is. */
export function formatExpiry(unixSeconds: number | null, now: number = Date.now()): string {
  if (unixSeconds === null) return 'unknown';
  const left = unixSeconds * 1000 - now;
  return `${formatTime(unixSeconds * 1000)} (${left <= 0 ? 'expired' : `in ${formatDuration(left)}`})`;
}

/**
 * How sizes, dates, durations and names read on screen. Dates are formatted for the machine's
 * locale, so those tests check what a date shows (day, year, time or not) rather than one
 * locale's spelling.
 */
import { describe, expect, it } from 'vitest';
import type { Server } from '../../main/domain/models.js';
import {
  formatApiDate,
  formatApiDateTime,
  formatBytes,
  formatCount,
  formatElapsed,
  formatMoment,
  isoName,
  parseApiDate,
  serverName,
  serverOption,
} from '../../renderer/src/lib/format.js';
import { serverStateText } from '../../main/domain/server-state.js';

describe('formatBytes', () => {
  it('keeps bytes whole and gives larger sizes one decimal in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(734_003_200)).toBe('700.0 MiB');
    expect(formatBytes(2_147_483_648)).toBe('2.0 GiB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3.0 TiB');
  });

  it('stops at PiB for absurd sizes', () => {
    expect(formatBytes(1024 ** 6)).toBe('1024.0 PiB');
  });

  it('shows a dash for sizes the API did not send or sent broken', () => {
    for (const size of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY, -1]) expect(formatBytes(size)).toBe('—');
  });
});

describe('parseApiDate', () => {
  it('reads both forms the API writes', () => {
    expect(parseApiDate('2024-01-15T10:30:00Z')?.getTime()).toBe(Date.UTC(2024, 0, 15, 10, 30));
    expect(parseApiDate('2024-01-15 10:30:00')?.getTime()).toBe(new Date(2024, 0, 15, 10, 30).getTime());
  });

  it('gives null for missing or unreadable dates', () => {
    for (const text of [null, undefined, '', 'yesterday', '2024-13-45 99:99:99']) expect(parseApiDate(text)).toBeNull();
  });
});

describe('formatApiDate and formatApiDateTime', () => {
  it('show the day for list columns and the time as well for details', () => {
    const day = formatApiDate('2024-01-15 10:30:00');
    expect(day).toContain('2024');
    expect(day).toContain('15');
    expect(day).not.toContain('10:30');
    expect(day).not.toContain('2024-01-15');

    const moment = formatApiDateTime('2024-01-15 10:30:00');
    expect(moment).toContain('2024');
    expect(moment).toContain('10:30');
  });

  it('show text the API sent that is not a date as it is, and a dash for none', () => {
    expect(formatApiDate('pending')).toBe('pending');
    expect(formatApiDateTime('pending')).toBe('pending');
    expect(formatApiDate(null)).toBe('—');
    expect(formatApiDateTime(undefined)).toBe('—');
  });
});

describe('formatMoment', () => {
  const now = new Date(2024, 5, 10, 18, 0).getTime();

  it('shows only the time for a moment earlier today', () => {
    const text = formatMoment(new Date(2024, 5, 10, 9, 5).getTime(), now);
    expect(text).toContain('09:05');
    expect(text).not.toContain('2024');
  });

  it('shows the date as well for an earlier day', () => {
    const text = formatMoment(new Date(2024, 5, 9, 23, 59).getTime(), now);
    expect(text).toContain('2024');
    expect(text).toContain('9');
  });
});

describe('formatElapsed', () => {
  it('uses the two largest units', () => {
    expect(formatElapsed(0)).toBe('0s');
    expect(formatElapsed(59_999)).toBe('59s');
    expect(formatElapsed(60_000)).toBe('1m 0s');
    expect(formatElapsed(75_000)).toBe('1m 15s');
    expect(formatElapsed(3_700_000)).toBe('1h 1m');
    expect(formatElapsed(86_399_999)).toBe('23h 59m');
    expect(formatElapsed(86_400_000)).toBe('1d 0h');
    expect(formatElapsed(90_000_000)).toBe('1d 1h');
  });

  it('never counts backwards', () => {
    expect(formatElapsed(-5_000)).toBe('0s');
  });
});

describe('formatCount', () => {
  it('groups the digits of large counts with one separator (the locale’s), and leaves small ones alone', () => {
    expect(formatCount(7)).toBe('7');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(100_000)).toMatch(/^100\D000$/);
    expect(formatCount(1_234_567)).toMatch(/^1(?<sep>\D)234\k<sep>567$/);
  });
});

describe('isoName', () => {
  it('uses the name, else the file name marked as a stand-in', () => {
    expect(isoName({ name: 'Debian 12', iso_name: 'debian-12.iso' })).toEqual({ text: 'Debian 12', fallback: false });
    expect(isoName({ iso_name: 'debian-12.iso' })).toEqual({ text: 'debian-12.iso', fallback: true });
    expect(isoName({ name: '', iso_name: 'debian-12.iso' })).toEqual({ text: 'debian-12.iso', fallback: true });
  });
});

describe('servers', () => {
  const server: Server = {
    id: 40123,
    hostname: 'web-01.example.com',
    main_ip: '5.39.12.44',
    location: 'Amsterdam',
    state: 'active',
    condition: 'rent',
    mounted_iso: null,
  };

  it('are named by hostname, else main IP, else number', () => {
    expect(serverName(server)).toBe('web-01.example.com');
    expect(serverName({ ...server, hostname: null })).toBe('5.39.12.44');
    expect(serverName({ ...server, hostname: null, main_ip: null })).toBe('Server 40123');
  });

  it('read in the picker by name, with the state when it is not active', () => {
    expect(serverOption(server)).toBe('web-01.example.com');
    expect(serverOption({ ...server, state: 'suspended', condition: 'power_off' })).toBe('web-01.example.com (suspended)');
    expect(serverOption({ ...server, hostname: null, main_ip: null, state: 'pending' })).toBe('Server 40123 (pending)');
  });

  it('say their billing state in plain words, and an unknown word verbatim', () => {
    expect(serverStateText(server)).toBe('Active');
    expect(serverStateText({ state: 'suspended', condition: 'power_off' })).toBe('Suspended — powered off by billing');
    expect(serverStateText({ state: 'suspended', condition: 'presale' })).toBe('Suspended — not yet handed over');
    expect(serverStateText({ state: 'pending', condition: 'TT' })).toBe('Pending — technical work in progress');
    expect(serverStateText({ state: 'unknown', condition: 'frozen' })).toBe('State unknown — billing says “frozen”');
    expect(serverStateText({ state: 'active', condition: null })).toBe('Active');
  });
});

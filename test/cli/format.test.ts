import { describe, expect, it } from 'vitest';
import { formatApiDate, formatDuration, formatSize, formatTime } from '../../main/cli/format.js';
import { renderTable } from '../../main/cli/table.js';
import { findCommand, parseCommandArgs } from '../../main/cli/options.js';
import { exitCodeFor } from '../../main/cli/exit-codes.js';

describe('human formats', () => {
  it('writes sizes in binary units', () => {
    expect(formatSize(2147483648)).toBe('2.0 GiB');
    expect(formatSize(5368709120)).toBe('5.0 GiB');
    expect(formatSize(52428800)).toBe('50.0 MiB');
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(undefined)).toBe('-');
  });

  it('writes times as local YYYY-MM-DD HH:MM', () => {
    const local = new Date(2024, 0, 15, 9, 5, 59).getTime();
    expect(formatTime(local)).toBe('2024-01-15 09:05');
    expect(formatApiDate(new Date(2024, 0, 15, 9, 5).toISOString())).toBe('2024-01-15 09:05');
    // No zone given: the API's own wall-clock time is shown as is, not shifted.
    expect(formatApiDate('2024-01-15 10:30:00')).toBe('2024-01-15 10:30');
    expect(formatApiDate('yesterday')).toBe('yesterday');
    expect(formatDuration(65_000)).toBe('1m05s');
  });
});

describe('tables', () => {
  const rows = [
    { id: 1, name: 'ubuntu.iso', text: 'Ubuntu Server 24.04 LTS with a rather long description' },
    { id: 117, name: 'debian-12.iso', text: 'Debian' },
  ];
  const columns = [
    { header: 'ID', value: (r: (typeof rows)[number]) => String(r.id), align: 'right' as const },
    { header: 'ISO FILE', value: (r: (typeof rows)[number]) => r.name },
    { header: 'DESCRIPTION', value: (r: (typeof rows)[number]) => r.text, flex: true },
  ];

  it('aligns columns to their widest cell', () => {
    const lines = renderTable(columns, rows);
    expect(lines[0]).toBe(' ID  ISO FILE       DESCRIPTION');
    expect(lines[1]).toBe('  1  ubuntu.iso     Ubuntu Server 24.04 LTS with a rather long description');
    expect(lines[2]).toBe('117  debian-12.iso  Debian');
  });

  it('cuts the flexible column to the terminal width', () => {
    const lines = renderTable(columns, rows, 40);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    expect(lines[1]).toBe('  1  ubuntu.iso     Ubuntu Server 24.04…');
  });

  it('neutralises control characters from API text', () => {
    const [, line] = renderTable([{ header: 'X', value: (r: string) => r }], ['evil\u001b[2Jtext']);
    expect(line).toBe('evil [2Jtext');
  });
});

describe('argument parsing', () => {
  it('finds the command after global options and their values', () => {
    expect(findCommand(['--data-dir', '/tmp/x', '--json', 'list', '--server', '1'])).toEqual({
      command: 'list',
      rest: ['--data-dir', '/tmp/x', '--json', '--server', '1'],
    });
    expect(findCommand(['--help']).command).toBeNull();
  });

  it('reports unknown options and bad numbers as usage errors', () => {
    expect(() => parseCommandArgs(['--nope'], [], 'list')).toThrow(
      expect.objectContaining({ kind: 'usage', message: expect.stringMatching(/Unknown option '--nope'/) }),
    );
    const { flags } = parseCommandArgs(['--server', 'abc'], [{ name: 'server', value: 'ID', help: '' }], 'list');
    expect(() => flags.int('server')).toThrow(expect.objectContaining({ kind: 'usage', message: '--server must be a whole number, not "abc".' }));
  });

  it('maps error kinds to distinct exit codes', () => {
    expect([exitCodeFor('usage'), exitCodeFor('auth'), exitCodeFor('permission'), exitCodeFor('transient'), exitCodeFor('internal')]).toEqual([2, 3, 4, 5, 1]);
    expect(exitCodeFor('no_servers')).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { renderTable } from '../../main/cli/table.js';

describe('renderTable', () => {
  it('lays out a list far longer than a call stack (an admin listing every upload)', () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => ({ id: i }));
    const lines = renderTable([{ header: 'ID', value: (r: { id: number }) => String(r.id), align: 'right' }], rows);
    expect(lines).toHaveLength(300_001);
    expect(lines[0]).toBe('    ID');
    expect(lines[300_000]).toBe('299999');
  });
});

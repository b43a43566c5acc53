/**
 * Aligned text tables. Column widths follow the content; on a terminal the one flexible column
 * (usually a description) is cut to fit the width so rows never wrap.
 */

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  align?: 'left' | 'right';
  /** Cut this column to fit the terminal width. */
  flex?: boolean;
}

const GAP = '  ';
const MIN_FLEX = 12;

/** API text can hold control characters; they must not move the cursor or recolour the terminal. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
}

/** Renders rows as lines; `width` (the terminal's) limits the flexible column. */
export function renderTable<Row>(columns: Column<Row>[], rows: Row[], width?: number): string[] {
  const cells = rows.map((row) => columns.map((c) => printable(c.value(row))));
  // A loop, not Math.max(...spread): spreading 200,000 rows overflows the stack (a RangeError).
  const widths = columns.map((c, i) => cells.reduce((width, r) => Math.max(width, r[i]!.length), c.header.length));
  const flex = columns.findIndex((c) => c.flex);
  if (width !== undefined && flex >= 0) {
    const others = widths.reduce((sum, w, i) => (i === flex ? sum : sum + w), 0) + GAP.length * (columns.length - 1);
    widths[flex] = Math.min(widths[flex]!, Math.max(MIN_FLEX, width - others));
  }
  const line = (values: string[]) =>
    values
      .map((v, i) => {
        const text = truncate(v, widths[i]!);
        if (i === values.length - 1 && columns[i]!.align !== 'right') return text;
        return columns[i]!.align === 'right' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
      })
      .join(GAP);
  return [line(columns.map((c) => c.header)), ...cells.map(line)];
}

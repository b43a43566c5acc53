/**
 * Everything the CLI writes. Human mode prints lines and tables; --json mode prints only the
 * response object on stdout and errors as JSON on stderr, so scripts can rely on both streams.
 */
import type { ErrorInfo } from '../domain/models.js';
import { renderTable, printable, type Column } from './table.js';

export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export class Output {
  constructor(
    readonly json: boolean,
    readonly stdout: Stream,
    readonly stderr: Stream,
  ) {}

  /** The terminal's width; a terminal that reports none (0, e.g. under `script`) counts as 80. */
  get width(): number {
    return this.stdout.columns || 80;
  }

  /** True when a person watches stdout (live progress, cut-to-width tables). */
  get interactive(): boolean {
    return !this.json && this.stdout.isTTY === true;
  }

  /** The response object in --json mode; nothing in human mode. */
  result(value: unknown): void {
    if (this.json) this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A line for people; silent in --json mode. */
  line(text = ''): void {
    if (!this.json) this.stdout.write(`${text}\n`);
  }

  table<Row>(columns: Column<Row>[], rows: Row[]): void {
    if (this.json) return;
    const width = this.interactive ? this.width : undefined;
    for (const line of renderTable(columns, rows, width)) this.stdout.write(`${line}\n`);
  }

  /** Side remarks (warnings, notes about secrets) go to stderr so stdout stays the answer. */
  note(text: string): void {
    if (!this.json) this.stderr.write(`${text}\n`);
  }

  /** Something the user must not miss (a repaired cache): on stderr in both modes, as JSON in --json mode. */
  notice(text: string): void {
    this.stderr.write(this.json ? `${JSON.stringify({ notice: text })}\n` : `note: ${printable(text)}\n`);
  }

  error(info: ErrorInfo): void {
    if (this.json) {
      this.stderr.write(`${JSON.stringify({ error: info })}\n`);
      return;
    }
    this.problem(info.message, info.hint);
  }

  /** The human form of a failure: "isodesk: <message>" and, when there is one, "hint: <hint>". */
  problem(message: string, hint: string | null): void {
    if (this.json) return;
    this.stderr.write(`isodesk: ${printable(message)}\n`);
    if (hint) this.stderr.write(`hint: ${printable(hint)}\n`);
  }
}

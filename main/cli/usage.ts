/** The --help texts, generated from the command declarations so they cannot drift from the parser. */
import type { Command } from './command.js';
import { GLOBAL_OPTIONS, type OptionSpec } from './options.js';
import { EXIT } from './exit-codes.js';

function optionLabel(o: OptionSpec): string {
  return `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.value ? ` ${o.value}` : ''}`;
}

function optionLines(options: OptionSpec[]): string[] {
  const width = Math.max(...options.map((o) => optionLabel(o).length)) + 2;
  return options.map((o) => `  ${optionLabel(o).padEnd(width)}${o.help}`);
}

export function usageLine(cmd: Command): string {
  if (cmd.usage) return cmd.usage;
  const args = (cmd.args ?? []).map((a) => (a.optional ? `[${a.name}]` : a.name));
  const options = cmd.options.map((o) => (o.required ? optionLabel(o) : `[${optionLabel(o)}]`));
  return ['isodesk', cmd.name, ...args, ...options].join(' ');
}

export function commandHelp(cmd: Command): string {
  const lines = [`Usage: ${usageLine(cmd)}`, '', `${cmd.summary}.`];
  for (const paragraph of cmd.details ?? []) lines.push('', paragraph);
  if (cmd.args?.length) {
    const width = Math.max(...cmd.args.map((a) => a.name.length)) + 2;
    lines.push('', 'Arguments:', ...cmd.args.map((a) => `  ${a.name.padEnd(width)}${a.help}`));
  }
  if (cmd.options.length) lines.push('', 'Options:', ...optionLines(cmd.options));
  lines.push('', 'Global options:', ...optionLines(GLOBAL_OPTIONS));
  return `${lines.join('\n')}\n`;
}

const code = (n: number) => `  ${String(n).padEnd(5)}`;

export function mainHelp(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'isodesk: manage ISO images at HOSTKEY from the command line (the ISO Desk app on the same data).',
    '',
    'Usage: isodesk <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Run "isodesk <command> --help" for the options of a command.',
    '',
    'Exit codes:',
    `${code(EXIT.ok)}done`,
    `${code(EXIT.internal)}internal error (a bug in ISO Desk)`,
    `${code(EXIT.usage)}wrong usage (unknown command or option, invalid value)`,
    `${code(EXIT.auth)}not signed in, key or token refused, or the account has no servers`,
    `${code(EXIT.refused)}HOSTKEY refused the request (invalid value, no permission, not found)`,
    `${code(EXIT.network)}HOSTKEY unreachable, busy or answering junk, outcome unknown, or offline with nothing cached`,
    `${code(EXIT.taskFailed)}a task waited for with --wait failed or ended with an unknown outcome`,
    `${code(EXIT.storage)}the data folder cannot be written (read-only, disk full) or its cache is damaged`,
    `${code(EXIT.duplicate)}upload sent nothing: the same file is already uploaded or uploading (--yes uploads it again)`,
    `${code(EXIT.interrupted)}interrupted (Ctrl-C)`,
    '',
  ].join('\n');
}

/**
 * Command-line options: the declarations every command makes, the global options, and the one
 * parser (node:util parseArgs) that turns argv into a command name and typed flag values.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError } from '../domain/errors.js';

export interface OptionSpec {
  name: string;
  /** Placeholder shown in help (e.g. "ID"); options with a placeholder take a value. */
  value?: string;
  short?: string;
  help: string;
  required?: boolean;
}

export const GLOBAL_OPTIONS: OptionSpec[] = [
  { name: 'api-url', value: 'URL', help: 'HOSTKEY API base URL (env ISODESK_API_URL; default https://api.hostkey.com)' },
  { name: 'data-dir', value: 'DIR', help: 'Data folder shared with the desktop app (env ISODESK_DATA_DIR)' },
  { name: 'profile', value: 'NAME', help: 'Profile to use (login, logout and whoami; others use the active profile)' },
  { name: 'json', help: 'Print only JSON on stdout; errors as JSON on stderr' },
  { name: 'offline', help: 'Answer from the cache; do not contact HOSTKEY' },
  { name: 'verbose', help: 'Log API requests (secrets redacted) to stderr' },
  { name: 'help', short: 'h', help: 'Show help' },
  { name: 'version', help: 'Show the version' },
];

export type FlagValues = Record<string, string | boolean | undefined>;

export function usageError(message: string, command?: string): AppError {
  return new AppError('usage', message, { hint: `Run "isodesk ${command ? `${command} ` : ''}--help" for usage.` });
}

function toConfig(specs: OptionSpec[]): NonNullable<ParseArgsConfig['options']> {
  const config: NonNullable<ParseArgsConfig['options']> = {};
  for (const spec of specs) config[spec.name] = { type: spec.value ? 'string' : 'boolean', ...(spec.short ? { short: spec.short } : {}) };
  return config;
}

/** The command word: the first argument that is neither an option nor a global option's value. */
export function findCommand(argv: string[]): { command: string | null; rest: string[] } {
  const takesValue = new Set(GLOBAL_OPTIONS.filter((o) => o.value).map((o) => `--${o.name}`));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg.startsWith('-')) {
      if (takesValue.has(arg)) i++;
      continue;
    }
    return { command: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { command: null, rest: argv };
}

export interface ParsedArgs {
  flags: Flags;
  positionals: string[];
}

/** Parses argv (without the command word) against the global options plus the command's own. */
export function parseCommandArgs(argv: string[], specs: OptionSpec[], command?: string): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: toConfig([...GLOBAL_OPTIONS, ...specs]), strict: true, allowPositionals: true });
  } catch (err) {
    // parseArgs explains itself in its first sentence ("Unknown option '--x'.", "Option '--server <value>' argument missing").
    const message = err instanceof Error ? (err.message.split(/\.\s|\n/)[0] ?? err.message) : String(err);
    throw usageError(message.endsWith('.') ? message : `${message}.`, command);
  }
  return { flags: new Flags(parsed.values as FlagValues, command), positionals: parsed.positionals };
}

/** Typed access to parsed flags; conversion failures are usage errors that name the flag. */
export class Flags {
  constructor(
    private readonly values: FlagValues,
    private readonly command?: string,
  ) {}

  string(name: string): string | undefined {
    const value = this.values[name];
    return typeof value === 'string' ? value : undefined;
  }

  bool(name: string): boolean {
    return this.values[name] === true;
  }

  int(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    return parseWholeNumber(value, `--${name}`, this.command);
  }
}

export function parseWholeNumber(value: string, label: string, command?: string): number {
  if (!/^\d+$/.test(value.trim())) throw usageError(`${label} must be a whole number, not "${value}".`, command);
  return Number(value.trim());
}

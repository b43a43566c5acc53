/**
 * The CLI from argv to exit code: finds the command, parses and checks its arguments, hands it to
 * run-command.ts (which opens the app and runs it) and turns every error into one message for
 * people or JSON for scripts.
 *
 * This module and what it imports statically are all that `isodesk --help` loads: no zod, no
 * HTTP client, no SQLite. The build checks that (main/build/build.mjs); the rest arrives with
 * run-command.ts, as chunks of its own, once a command really runs.
 */
import { AppError } from '../domain/errors.js';
import { VERSION } from '../version.js';
import type { KnownHost } from '../domain/diagnostics.js';
import type { Command } from './command.js';
import { allCommands } from './commands/index.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { findCommand, parseCommandArgs, usageError, type Flags } from './options.js';
import { Output, type Stream } from './output.js';
import type { SecretSource } from './secret-input.js';
import { commandHelp, mainHelp, usageLine } from './usage.js';

export interface CliEnvironment {
  argv: string[];
  env: Readonly<Record<string, string | undefined>>;
  stdout: Stream;
  stderr: Stream;
  stdin: SecretSource;
  /** Resolves when the user presses Ctrl-C. */
  interrupt: Promise<void>;
  /** The known HOSTKEY hosts; only in-process tests give others (loopback servers). */
  knownHosts?: readonly KnownHost[] | undefined;
}

export async function runCli(io: CliEnvironment): Promise<number> {
  // `io` itself, not a copy of io.stdin: the commands that read stdin open it when they run.
  const commands = allCommands(io);
  // Known before parsing, so that even a usage error comes out as JSON.
  const out = new Output(io.argv.includes('--json'), io.stdout, io.stderr);
  let verbose = false;
  try {
    const { command: name, rest } = findCommand(io.argv);
    if (name === null || name === 'help') return showHelp(io, commands, rest, name === 'help');
    const command = commands.find((c) => c.name === name);
    if (!command) throw new AppError('usage', `Unknown command "${name}".`, { hint: 'Run "isodesk --help" to see the commands.' });
    const { flags, positionals } = parseCommandArgs(rest, command.options, command.name);
    if (flags.bool('help')) {
      io.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    if (flags.bool('version')) {
      io.stdout.write(`isodesk ${VERSION}\n`);
      return EXIT.ok;
    }
    checkArguments(command, flags, positionals);
    verbose = flags.bool('verbose');
    // The bundle is minified: a stack trace names the sources' functions only through its source map.
    if (verbose) process.setSourceMapsEnabled(true);
    const { runCommand } = await import('./run-command.js');
    return await runCommand(command, { flags, positionals }, io, out);
  } catch (err) {
    // An AppError (every usage error) says what it is; a foreign error arises only while a command
    // runs, so run-command.ts (and zod, which checks its shape) is loaded by then.
    const info = err instanceof AppError ? err.toInfo() : (await import('./run-command.js')).toErrorInfo(err);
    out.error(info);
    if (verbose && !(err instanceof AppError) && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return exitCodeFor(info.kind);
  }
}

/** `isodesk`, `isodesk --help`, `isodesk help [COMMAND]` and `isodesk --version`. */
function showHelp(io: CliEnvironment, commands: Command[], rest: string[], asked: boolean): number {
  const { flags, positionals } = parseCommandArgs(rest, []);
  if (flags.bool('version')) {
    io.stdout.write(`isodesk ${VERSION}\n`);
    return EXIT.ok;
  }
  const topic = positionals[0];
  if (topic !== undefined) {
    const command = commands.find((c) => c.name === topic);
    if (!command) throw new AppError('usage', `Unknown command "${topic}".`, { hint: 'Run "isodesk --help" to see the commands.' });
    io.stdout.write(commandHelp(command));
    return EXIT.ok;
  }
  // Help that was asked for is the answer; help shown for a bare "isodesk" explains a usage error.
  const wanted = asked || flags.bool('help');
  (wanted ? io.stdout : io.stderr).write(mainHelp(commands));
  return wanted ? EXIT.ok : EXIT.usage;
}

function checkArguments(command: Command, flags: Flags, positionals: string[]): void {
  const args = command.args ?? [];
  const needed = args.filter((a) => !a.optional);
  if (positionals.length < needed.length) {
    throw usageError(`Missing ${needed[positionals.length]!.name}. Usage: ${usageLine(command)}`, command.name);
  }
  if (positionals.length > args.length) {
    // The extra word is not echoed: after "login" it may well be a pasted API key.
    throw usageError(
      `Too many arguments: "${command.name}" takes ${args.length ? `at most ${args.length}` : 'none'}. Usage: ${usageLine(command)}`,
      command.name,
    );
  }
  const missing = command.options.filter((o) => o.required && flags.string(o.name) === undefined);
  if (missing.length) {
    throw usageError(`Missing ${missing.map((o) => `--${o.name} ${o.value ?? ''}`.trim()).join(', ')}. Usage: ${usageLine(command)}`, command.name);
  }
}

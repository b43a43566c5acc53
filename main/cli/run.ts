/**
 * The CLI from argv to exit code: finds the command, parses and checks its arguments, opens the
 * app on the shared data folder, runs the command (or stops it on Ctrl-C) and turns every error
 * into one message for people or JSON for scripts.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { createApp, type App } from '../app.js';
import { AppError, toErrorInfo } from '../domain/errors.js';
import { shown } from '../domain/storage-faults.js';
import { ProfileName } from '../ipc/contract.js';
import { openCommandLineSecretStore, SECRETS_FILE } from '../session/shared-secrets.js';
import { VERSION } from '../version.js';
import type { KnownHost } from '../domain/diagnostics.js';
import type { Command } from './command.js';
import { allCommands } from './commands/index.js';
import { CommandContext, type Globals } from './context.js';
import { resolveDataDir } from '../session/data-dir.js';
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

const INTERRUPTED = Symbol('interrupted');
const HttpUrl = z.url({ protocol: /^https?$/ });

export async function runCli(io: CliEnvironment): Promise<number> {
  const commands = allCommands({ stdin: io.stdin });
  // Known before parsing, so that even a usage error comes out as JSON.
  const out = new Output(io.argv.includes('--json'), io.stdout, io.stderr);
  let app: App | null = null;
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
    const globals = resolveGlobals(flags, io.env);
    app = await createApp({
      dataDir: globals.dataDir,
      secrets: openCommandLineSecretStore(globals.dataDir, { env: io.env }),
      apiUrl: globals.apiUrl,
      offline: globals.offline,
      syncCatalogsInThread: true,
      // Commands that own --profile (login, logout, whoami) name it themselves.
      profile: command.ownsProfileFlag ? undefined : globals.profile,
      log: verbose ? (line) => io.stderr.write(`isodesk [api] ${line}\n`) : undefined,
      knownHosts: io.knownHosts,
    });
    for (const notice of app.notices) out.notice(notice);
    const ctx = new CommandContext(app, out, globals, command.name);
    const running = command.run(ctx, { flags, positionals });
    // After Ctrl-C the command is abandoned; its late failure must not surface.
    running.catch(() => undefined);
    const result = await Promise.race([running, io.interrupt.then((): typeof INTERRUPTED => INTERRUPTED)]);
    if (result === INTERRUPTED) {
      ctx.interrupted();
      return EXIT.interrupted;
    }
    return result;
  } catch (err) {
    const info = toErrorInfo(err);
    out.error(info);
    if (verbose && !(err instanceof AppError) && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return exitCodeFor(info.kind);
  } finally {
    await app?.close();
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

function resolveGlobals(flags: Flags, env: Readonly<Record<string, string | undefined>>): Globals {
  const apiUrl = flags.string('api-url') ?? (env.ISODESK_API_URL || undefined);
  if (apiUrl !== undefined && !HttpUrl.safeParse(apiUrl).success) {
    throw usageError(`--api-url (or ISODESK_API_URL) must be an http(s) URL such as https://api.hostkey.com, not "${shown(apiUrl, 80)}".`);
  }
  const dataDirFlag = flags.string('data-dir');
  if (dataDirFlag !== undefined && dataDirFlag.trim() === '') throw usageError('--data-dir needs a folder; it was empty.');
  const dataDir = path.resolve(dataDirFlag ?? resolveDataDir({ platform: process.platform, env, homedir: os.homedir() }));
  const profile = flags.string('profile');
  // Checked before anything is opened, with the rule sign-in applies, and never echoed whole.
  if (profile !== undefined && !ProfileName.safeParse(profile).success) {
    const what = profile.length > 64 ? `${profile.length} characters long` : `"${shown(profile, 64)}"`;
    throw usageError(`--profile must be 1 to 64 letters, digits, spaces or . _ @ -; this one is ${what}.`);
  }
  return {
    apiUrl,
    dataDir,
    secretsFile: path.join(dataDir, SECRETS_FILE),
    profile,
    offline: flags.bool('offline'),
  };
}

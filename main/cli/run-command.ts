/**
 * Runs one command whose arguments run.ts has checked: resolves the global options, opens the app
 * on the shared data folder, and runs the command until it ends or the user presses Ctrl-C.
 * run.ts imports this module only when a command runs, so that the app (SQLite, zod, the
 * services) never loads for --help or a usage error.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import { createApp, type App } from '../app.js';
import { shown } from '../domain/storage-faults.js';
import { ProfileName } from '../ipc/contract.js';
import { resolveDataDir } from '../session/data-dir.js';
import { openCommandLineSecretStore, SECRETS_FILE } from '../session/shared-secrets.js';
import type { Command, CommandInput } from './command.js';
import { CommandContext, type Globals } from './context.js';
import { EXIT } from './exit-codes.js';
import { usageError, type Flags } from './options.js';
import type { Output } from './output.js';
import type { CliEnvironment } from './run.js';

// What the CLI's other modules use of the app once it is loaded comes through here: with one
// dynamic import into the app, the bundle splits it into fewer files, each of which a start reads,
// resolves and links on its own (issue #8).
export { toErrorInfo } from '../domain/error-info.js';
export { toTask } from '../tasks/journal.js';

const INTERRUPTED = Symbol('interrupted');
const HttpUrl = z.url({ protocol: /^https?$/ });

export async function runCommand(command: Command, input: CommandInput, io: CliEnvironment, out: Output): Promise<number> {
  const globals = resolveGlobals(input.flags, io.env);
  let app: App | null = null;
  try {
    app = await createApp({
      dataDir: globals.dataDir,
      secrets: openCommandLineSecretStore(globals.dataDir, { env: io.env }),
      apiUrl: globals.apiUrl,
      offline: globals.offline,
      syncCatalogsInThread: true,
      nativeBinding: sqliteBinary(),
      // Commands that own --profile (login, logout, whoami) name it themselves.
      profile: command.ownsProfileFlag ? undefined : globals.profile,
      log: input.flags.bool('verbose') ? (line) => io.stderr.write(`isodesk [api] ${line}\n`) : undefined,
      knownHosts: io.knownHosts,
    });
    for (const notice of app.notices) out.notice(notice);
    const ctx = new CommandContext(app, out, globals, command.name);
    const running = command.run(ctx, input);
    // After Ctrl-C the command is abandoned; its late failure must not surface.
    running.catch(() => undefined);
    const result = await Promise.race([running, io.interrupt.then((): typeof INTERRUPTED => INTERRUPTED)]);
    if (result === INTERRUPTED) {
      ctx.interrupted();
      return EXIT.interrupted;
    }
    return result;
  } finally {
    await app?.close();
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

/**
 * better-sqlite3's binary, named so that its loader skips searching a dozen candidate folders for
 * it (a noticeable part of a cached read's start-up); undefined, and the search, where it is not there.
 */
function sqliteBinary(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
  } catch {
    return undefined;
  }
}

/**
 * The one secret store the desktop app, the CLI and the browser harness share: the system
 * keyring, one entry per profile of a data folder. Sign in anywhere, and every ISO Desk process on
 * that folder is signed in; sign out anywhere, and all are signed out.
 *
 * Where no keyring answers (a headless Linux box without a Secret Service, an ssh session without
 * D-Bus, a locked keyring that cannot prompt), each process falls back to its own store — the app
 * to safeStorage, the CLI and harness to a 0600 file — and its note says so and why. When the
 * keyring answers again, what the fallback holds for a profile moves into the keyring on first
 * use, so a sign-in made without it is not lost.
 *
 * Entries are named service "ISO Desk" (or "ISO Desk (<folder>)" for any folder but the default
 * one, so test and second data folders never touch the user's own sign-in) and account = profile.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../domain/errors.js';
import { PRODUCT } from '../version.js';
import { defaultDataDir } from './data-dir.js';
import { keyringName, keyringProblem, loadSystemKeyring, type Keyring } from './keyring.js';
import { FileSecretStore, Secrets, isSignedIn, type SecretStore } from './secrets.js';

/** Set (to anything but "" or "0") to keep secrets out of the keyring: the fallback store is used. */
export const NO_KEYRING_ENV = 'ISODESK_NO_KEYRING';

/** The CLI's fallback, which the browser harness uses too: a user-only (0600) file in the data folder. */
export const SECRETS_FILE = 'cli-secrets.json';

export interface SharedStoreOptions {
  dataDir: string;
  /** Used where no keyring answers; its note says what it means for the user. */
  fallback: SecretStore;
  /** Who else shares the keyring entry, for the note ("the isodesk command line", "the desktop app"). */
  sharedWith: string;
  /** Who cannot see what the fallback holds, for its note. */
  fallbackNotShared: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/** An account no profile can be called (profile names have no parentheses), for probing the keyring. */
const PROBE_ACCOUNT = '(probe)';

type KeyringOrProblem = Keyring | { problem: string };

/** A keyring that stopped answering (a D-Bus hiccup, a lock) is asked again after this long. */
const RETRY_AFTER_MS = 60_000;

export class KeyringSecretStore implements SecretStore {
  /** Why the keyring is not used; null while it answers (or has not been asked yet). */
  private problem: string | null;
  /** When the keyring last failed a call; 0 when the problem is for good (turned off, no module). */
  private failedAt = 0;
  private keyring: Promise<Keyring | null> | null = null;
  private name = keyringName();
  private service = '';

  constructor(
    /** Loads the keyring on first use: a command that needs no secret never loads the native module. */
    private readonly load: () => Promise<KeyringOrProblem>,
    /** The entries' service name, worked out at first use, once the data folder exists (see keyringService). */
    private readonly serviceName: () => string,
    private readonly fallback: SecretStore,
    private readonly texts: { sharedWith: string; fallbackNotShared: string },
    problem: string | null = null,
  ) {
    this.problem = problem;
  }

  get mode(): SecretStore['mode'] {
    return this.problem === null ? 'encrypted' : this.fallback.mode;
  }

  get note(): string | null {
    if (this.problem === null) return `Kept in the ${this.name}, shared with ${this.texts.sharedWith}.`;
    const fallback = this.fallback.note ? ` ${this.fallback.note}` : '';
    return `The system keyring is not used (${this.problem}); ${this.texts.fallbackNotShared} cannot use this sign-in.${fallback}`;
  }

  /** Asks the keyring once, so that mode and note are true before anything is stored. */
  async check(): Promise<void> {
    await this.fromKeyring(PROBE_ACCOUNT);
  }

  async get(profile: string): Promise<Secrets | null> {
    const stored = await this.fromKeyring(profile);
    if (stored !== undefined && isSignedIn(stored)) return stored;
    const fallen = await this.fallback.get(profile);
    // Signed in while the keyring did not answer, and it answers now: move the secrets into it.
    if (stored !== undefined && isSignedIn(fallen) && (await this.toKeyring(profile, fallen))) await this.fallback.delete(profile);
    return fallen;
  }

  async set(profile: string, secrets: Secrets): Promise<void> {
    if (await this.toKeyring(profile, secrets)) {
      // A copy left in the fallback would come back after a sign-out.
      await this.fallback.delete(profile);
      return;
    }
    await this.fallback.set(profile, secrets);
  }

  async delete(profile: string): Promise<void> {
    await this.fallback.delete(profile);
    const keyring = await this.usable();
    if (!keyring) return;
    try {
      await keyring.delete(this.service, profile);
    } catch (err) {
      // Forgetting is what the user asked for: a key left in the keyring would sign them in again.
      throw new AppError('storage', `ISO Desk could not remove the key of profile "${profile}" from the ${this.name}: ${keyringProblem(err)}.`, {
        hint: `Try again, or delete the "${this.service}" entry for "${profile}" in the keyring yourself.`,
        cause: err,
      });
    }
  }

  /** The keyring while it answers; null once it has not (until it is worth asking again). */
  private async usable(): Promise<Keyring | null> {
    if (this.problem !== null && this.failedAt !== 0 && Date.now() - this.failedAt > RETRY_AFTER_MS) this.problem = null;
    if (this.problem !== null) return null;
    this.keyring ??= this.load().then((loaded) => {
      this.service = this.serviceName();
      if ('problem' in loaded) {
        this.problem = loaded.problem;
        return null;
      }
      this.name = loaded.name;
      return loaded;
    });
    return this.keyring;
  }

  /** The keyring's entry (null: none), or undefined when the keyring is not usable. */
  private async fromKeyring(profile: string): Promise<Secrets | null | undefined> {
    const keyring = await this.usable();
    if (!keyring) return undefined;
    let text: string | null;
    try {
      text = await keyring.get(this.service, profile);
    } catch (err) {
      this.failed(err);
      return undefined;
    }
    if (text === null) return null;
    try {
      const parsed = Secrets.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      // Not ours, or damaged: as if there were no entry; signing in writes a good one.
      return null;
    }
  }

  private async toKeyring(profile: string, secrets: Secrets): Promise<boolean> {
    const keyring = await this.usable();
    if (!keyring) return false;
    try {
      await keyring.set(this.service, profile, JSON.stringify(secrets));
      return true;
    } catch (err) {
      this.failed(err);
      return false;
    }
  }

  private failed(err: unknown): void {
    this.problem = keyringProblem(err);
    this.failedAt = Date.now();
  }
}

/** The keyring service name of a data folder: plain "ISO Desk" for the default folder. */
export function keyringService(dataDir: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const folder = realFolder(dataDir);
  const standard = realFolder(defaultDataDir({ platform: process.platform, env, homedir: os.homedir() }));
  return folder === standard ? PRODUCT : `${PRODUCT} (${folder})`;
}

export function openSharedSecretStore(opts: SharedStoreOptions): SecretStore {
  const env = opts.env ?? process.env;
  const texts = { sharedWith: opts.sharedWith, fallbackNotShared: opts.fallbackNotShared };
  const off = env[NO_KEYRING_ENV];
  const problem = off !== undefined && off !== '' && off !== '0' ? `${NO_KEYRING_ENV} is set` : null;
  return new KeyringSecretStore(loadSystemKeyring, () => keyringService(opts.dataDir, env), opts.fallback, texts, problem);
}

/** The desktop app's store: the keyring, else `fallback` (the shell's safeStorage or memory store). */
export function openAppSecretStore(dataDir: string, fallback: SecretStore, opts: { env?: Readonly<Record<string, string | undefined>> } = {}): SecretStore {
  return openSharedSecretStore({ dataDir, fallback, sharedWith: 'the isodesk command line', fallbackNotShared: 'the isodesk command line', ...opts });
}

/** The command line's and the browser harness's store: the keyring, else the 0600 file. */
export function openCommandLineSecretStore(dataDir: string, opts: { env?: Readonly<Record<string, string | undefined>> } = {}): SecretStore {
  return openSharedSecretStore({
    dataDir,
    fallback: new FileSecretStore(path.join(dataDir, SECRETS_FILE)),
    sharedWith: 'the ISO Desk app',
    fallbackNotShared: 'the desktop app',
    ...opts,
  });
}

function realFolder(dir: string): string {
  try {
    return fs.realpathSync.native(dir);
  } catch {
    return path.resolve(dir);
  }
}

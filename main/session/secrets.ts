/**
 * Where API keys and tokens live. They never go into the cache database, logs or the renderer.
 * The app, the CLI and the browser harness share one store, the system keyring (shared-secrets.ts),
 * so that signing in once signs in everywhere. Where no keyring answers, the desktop app falls
 * back to Electron safeStorage (main/shell) and the CLI and harness to a file only the user can
 * read, as hcloud and vultr-cli do; when neither is possible they stay in memory for the session.
 *
 * Whether a profile is signed in is whether its store holds a key or token: there is no other flag.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { AppError } from '../domain/errors.js';
import { fileFault, shown } from '../domain/storage-faults.js';
import { prepareDataDir } from './data-dir.js';

export const Secrets = z.object({
  api_key: z.string().optional(),
  token: z.string().optional(),
  /** Unix seconds. */
  token_expire: z.number().nullable().optional(),
});
export type Secrets = z.output<typeof Secrets>;

/** A profile is signed in when its store holds something to sign in with. */
export function isSignedIn(secrets: Secrets | null): secrets is Secrets {
  return Boolean(secrets?.api_key || secrets?.token);
}

export interface SecretStore {
  /** How secrets are kept right now (a keyring that stops answering changes it). */
  readonly mode: 'encrypted' | 'file' | 'memory';
  /** Where they are kept and what that means for the user, in a sentence; null when nothing needs saying. */
  readonly note: string | null;
  get(profile: string): Promise<Secrets | null>;
  set(profile: string, secrets: Secrets): Promise<void>;
  delete(profile: string): Promise<void>;
  /** Finds out how secrets will be kept (mode, note) before anything is stored; stores that know already have none. */
  check?(): Promise<void>;
}

export class MemorySecretStore implements SecretStore {
  readonly mode = 'memory' as const;
  readonly note: string | null;
  private readonly map = new Map<string, Secrets>();
  constructor(note: string | null = 'Secrets are kept in memory only: you will sign in again after a restart.') {
    this.note = note;
  }
  async get(profile: string): Promise<Secrets | null> {
    const found = this.map.get(profile);
    return found ? { ...found } : null;
  }
  async set(profile: string, secrets: Secrets): Promise<void> {
    this.map.set(profile, { ...secrets });
  }
  async delete(profile: string): Promise<void> {
    this.map.delete(profile);
  }
}

/**
 * A JSON file of secrets, encoded and decoded by `codec` so that the Electron shell can plug in
 * safeStorage encryption while the CLI writes a user-only (0600) file.
 */
export class FileSecretStore implements SecretStore {
  readonly mode: 'encrypted' | 'file';
  readonly note: string | null;

  constructor(
    private readonly file: string,
    private readonly codec: { encode(text: string): Buffer; decode(data: Buffer): string } = {
      encode: (t) => Buffer.from(t, 'utf8'),
      decode: (b) => b.toString('utf8'),
    },
    opts: { mode?: 'encrypted' | 'file'; note?: string | null } = {},
  ) {
    this.mode = opts.mode ?? 'file';
    this.note = opts.note ?? null;
  }

  /**
   * Read afresh each time: another ISO Desk process may have signed in or out since. A Map, so
   * that no profile name ("constructor", "__proto__") can meet an object's inherited keys.
   */
  private load(): Map<string, Secrets> {
    let raw: Buffer;
    try {
      const stat = fs.statSync(this.file);
      // A FIFO would block the read for ever.
      if (!stat.isFile()) throw new AppError('storage', `ISO Desk cannot use ${shown(this.file)} for its secrets: it is not a regular file.`);
      raw = fs.readFileSync(this.file);
    } catch (err) {
      if (err instanceof AppError) throw err;
      // Missing or unreadable: no one is signed in here.
      return new Map();
    }
    const all = new Map<string, Secrets>();
    try {
      const parsed: unknown = JSON.parse(this.codec.decode(raw));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return all;
      for (const [profile, value] of Object.entries(parsed)) {
        const secrets = Secrets.safeParse(value);
        if (secrets.success) all.set(profile, secrets.data);
      }
    } catch {
      // Damaged, or encrypted by another OS user: the user signs in again.
    }
    return all;
  }

  /** Written whole to a private temporary file, flushed, then renamed over the old one. */
  private save(all: Map<string, Secrets>): void {
    const dir = path.dirname(this.file);
    prepareDataDir(dir);
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      // A temporary file left by a crash may have other permissions: start from nothing.
      fs.rmSync(tmp, { force: true });
      const fd = fs.openSync(tmp, 'wx', 0o600);
      try {
        fs.writeFileSync(fd, this.codec.encode(JSON.stringify(Object.fromEntries(all))));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, this.file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw fileFault(err, dir) ?? err;
    }
  }

  async get(profile: string): Promise<Secrets | null> {
    return this.load().get(profile) ?? null;
  }
  async set(profile: string, secrets: Secrets): Promise<void> {
    this.save(this.load().set(profile, { ...secrets }));
  }
  async delete(profile: string): Promise<void> {
    const all = this.load();
    if (all.delete(profile)) this.save(all);
  }
}

/**
 * Where API keys and tokens live. They never go into the cache database, logs or the renderer.
 * The desktop app encrypts them with the OS (Electron safeStorage, see main/shell); the CLI and the
 * browser harness keep them in a file only the user can read, as hcloud and vultr-cli do; when
 * neither is possible they stay in memory for the session.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
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

const SecretsFile = z.record(z.string(), Secrets);

export interface SecretStore {
  readonly mode: 'encrypted' | 'file' | 'memory';
  /** Shown to the user when secrets are not protected the way they would expect. */
  readonly note: string | null;
  get(profile: string): Secrets | null;
  set(profile: string, secrets: Secrets): void;
  delete(profile: string): void;
}

export class MemorySecretStore implements SecretStore {
  readonly mode = 'memory' as const;
  readonly note: string | null;
  private readonly map = new Map<string, Secrets>();
  constructor(note: string | null = 'Secrets are kept in memory only: you will sign in again after a restart.') {
    this.note = note;
  }
  get(profile: string): Secrets | null {
    return this.map.get(profile) ?? null;
  }
  set(profile: string, secrets: Secrets): void {
    this.map.set(profile, { ...secrets });
  }
  delete(profile: string): void {
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

  /** Read afresh each time: another ISO Desk process may have signed in or out since. */
  private load(): Record<string, Secrets> {
    let raw: Buffer;
    try {
      const stat = fs.statSync(this.file);
      // A FIFO would block the read for ever.
      if (!stat.isFile()) throw new AppError('storage', `ISO Desk cannot use ${shown(this.file)} for its secrets: it is not a regular file.`);
      raw = fs.readFileSync(this.file);
    } catch (err) {
      if (err instanceof AppError) throw err;
      // Missing or unreadable: no one is signed in here.
      return {};
    }
    try {
      const parsed = SecretsFile.safeParse(JSON.parse(this.codec.decode(raw)));
      return parsed.success ? parsed.data : {};
    } catch {
      // Damaged, or encrypted by another OS user: the user signs in again.
      return {};
    }
  }

  /** Written whole to a private temporary file, flushed, then renamed over the old one. */
  private save(data: Record<string, Secrets>): void {
    const dir = path.dirname(this.file);
    prepareDataDir(dir);
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      // A temporary file left by a crash may have other permissions: start from nothing.
      fs.rmSync(tmp, { force: true });
      const fd = fs.openSync(tmp, 'wx', 0o600);
      try {
        fs.writeFileSync(fd, this.codec.encode(JSON.stringify(data)));
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

  get(profile: string): Secrets | null {
    return this.load()[profile] ?? null;
  }
  set(profile: string, secrets: Secrets): void {
    this.save({ ...this.load(), [profile]: { ...secrets } });
  }
  delete(profile: string): void {
    const { [profile]: _removed, ...rest } = this.load();
    this.save(rest);
  }
}

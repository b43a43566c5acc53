/**
 * The operating system's keyring — macOS Keychain, Windows Credential Manager, the Secret Service
 * (GNOME Keyring, KWallet) on Linux — through @napi-rs/keyring, an N-API module whose prebuilt
 * binaries load in Node and in Electron alike. It is loaded only when secrets are first needed,
 * and its absence (an unsupported platform) is a reason to fall back, not a crash.
 *
 * Every call is asynchronous (it talks to a daemon over D-Bus or XPC, and may wait for the user
 * to unlock the keyring) and bounded in time, so a keyring that does not answer can never hang
 * the command line or freeze the app.
 */
import type { AsyncEntry as AsyncEntryType, EntryOptions } from '@napi-rs/keyring';

/** Generous: an unlock prompt waits for the user; a keyring that is not there answers at once. */
const CALL_TIMEOUT_MS = 30_000;

/**
 * On Linux only the Secret Service: @napi-rs/keyring would otherwise fall back to the kernel
 * keyring, which forgets everything at logout and is not shared between login sessions.
 */
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

export interface Keyring {
  /** What the user knows it as, e.g. "macOS Keychain". */
  readonly name: string;
  get(service: string, account: string): Promise<string | null>;
  set(service: string, account: string, value: string): Promise<void>;
  /** Resolves whether or not there was anything to delete. */
  delete(service: string, account: string): Promise<void>;
}

export function keyringName(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service keyring (GNOME Keyring or KWallet)';
}

/** The system keyring, or why it cannot be used here. */
export async function loadSystemKeyring(): Promise<Keyring | { problem: string }> {
  let AsyncEntry: typeof AsyncEntryType;
  try {
    ({ AsyncEntry } = await import('@napi-rs/keyring'));
  } catch (err) {
    return { problem: `the keyring module could not be loaded on ${process.platform}-${process.arch} (${firstLine(err)})` };
  }
  const entry = (service: string, account: string) => new AsyncEntry(service, account, ENTRY_OPTIONS);
  return {
    name: keyringName(),
    get: (service, account) => entry(service, account).getPassword(AbortSignal.timeout(CALL_TIMEOUT_MS)),
    set: (service, account, value) => entry(service, account).setPassword(value, AbortSignal.timeout(CALL_TIMEOUT_MS)),
    delete: async (service, account) => {
      await entry(service, account).deleteCredential(AbortSignal.timeout(CALL_TIMEOUT_MS));
    },
  };
}

/** A keyring failure in plain words (the library's own messages name D-Bus internals). */
export function keyringProblem(err: unknown): string {
  const text = err instanceof Error ? `${err.name} ${err.message}` : String(err);
  if (/DBUS_SESSION_BUS_ADDRESS|autolaunch|session bus|Failed to connect to socket|Connection refused/i.test(text))
    return 'there is no desktop session (D-Bus) to reach it';
  if (/ServiceUnknown|org\.freedesktop\.secrets|not provided by any \.service/i.test(text)) return 'no Secret Service (GNOME Keyring or KWallet) is running';
  // Locked (the unlock prompt cannot be shown) or never set up (creating it needs a prompt too).
  if (/prompt|locked|dismissed|no result found/i.test(text)) return 'the keyring is locked or not set up, and cannot ask for its password here';
  if (/AbortError|TimeoutError|aborted|timed? ?out/i.test(text)) return 'it did not answer within 30 seconds';
  return firstLine(err);
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n')[0] ?? message).slice(0, 200);
}

/**
 * A private desktop session for keyring tests: its own D-Bus session bus (dbus-run-session) and,
 * when asked, an unlocked GNOME Keyring on it, with HOME and the XDG folders in a temporary
 * folder so the machine's own keyrings are never read or written. Processes a test starts with
 * `env` talk to that keyring; closing the session ends the bus and the keyring daemon with it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { envWith } from '../cli/isodesk-process.js';

export interface SessionBus {
  /** What a process in this session changes in the test's environment (the bus set, the keyring on). */
  env: Record<string, string | undefined>;
  close(): Promise<void>;
}

/** Why a private session cannot be started here, or null when it can. */
export function sessionBusUnavailable(): string | null {
  if (process.platform !== 'linux') return `the Secret Service keyring is Linux's (this is ${process.platform})`;
  for (const tool of ['dbus-run-session', 'gnome-keyring-daemon']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed (Debian packages dbus and gnome-keyring)`;
  }
  return null;
}

/**
 * `keyring`: 'unlocked' starts GNOME Keyring unlocked, the way a desktop login does; 'locked'
 * leaves it to D-Bus activation, which starts it locked with no one to type the password.
 */
export async function startSessionBus(keyring: 'unlocked' | 'locked'): Promise<SessionBus> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-session-'));
  const runtime = path.join(home, 'run');
  fs.mkdirSync(runtime, { mode: 0o700 });
  const changes: Record<string, string | undefined> = {
    HOME: home,
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    XDG_RUNTIME_DIR: runtime,
    ISODESK_NO_KEYRING: undefined,
  };
  const env = envWith({ ...changes, DBUS_SESSION_BUS_ADDRESS: undefined });
  const unlock = keyring === 'unlocked' ? 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; ' : '';
  // `cat` keeps the session open until the test closes its stdin.
  const child: ChildProcess = spawn('dbus-run-session', ['--', 'sh', '-c', `${unlock}echo "$DBUS_SESSION_BUS_ADDRESS"; exec cat`], {
    env,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const address = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve(line.trim());
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`dbus-run-session ended (${code}) before the bus was up`)));
  });
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    env: { ...changes, DBUS_SESSION_BUS_ADDRESS: address },
    close: async () => {
      child.stdin!.end();
      await ended;
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

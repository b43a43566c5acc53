/**
 * What the Electron double plays, set per launch by the test: the platform, whether the app is
 * packaged, what the OS offers (a keyring for safeStorage, a tray, notifications, displays).
 * Passed to the child process as JSON in ISODESK_ELECTRON_DOUBLE.
 */
import * as z from 'zod';

export const CONFIG_ENV = 'ISODESK_ELECTRON_DOUBLE';

const Rect = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

export const DoubleConfig = z.object({
  /** What app.getAppPath() answers: the folder holding package.json, whose `main` is run. */
  appPath: z.string(),
  /** Electron's own userData folder, before the app moves it with app.setPath. */
  userData: z.string(),
  isPackaged: z.boolean().default(true),
  platform: z.enum(['linux', 'darwin', 'win32']).default('linux'),
  /** process.versions.electron: the installed electron package's version. */
  electronVersion: z.string(),
  safeStorage: z
    .object({
      /** Whether the OS answers (a keyring on Linux, DPAPI or the Keychain elsewhere). */
      available: z.boolean(),
      /** safeStorage.getSelectedStorageBackend() on Linux once ready. */
      backend: z.enum(['basic_text', 'gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6', 'unknown']),
      /** The key the OS keeps (hex, 32 bytes); the same key across launches decrypts earlier secrets. */
      key: z.string().regex(/^[0-9a-f]{64}$/),
    })
    .default({ available: true, backend: 'gnome_libsecret', key: '0'.repeat(64) }),
  /** 'fails': creating the tray icon throws, as on a desktop without a status area. */
  tray: z.enum(['available', 'fails']).default('available'),
  notifications: z.boolean().default(true),
  darkTheme: z.boolean().default(false),
  displays: z
    .array(z.object({ bounds: Rect, workArea: Rect }))
    .default([{ bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }]),
});
export type DoubleConfig = z.output<typeof DoubleConfig>;
export type DoubleConfigInput = z.input<typeof DoubleConfig>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): DoubleConfig {
  const raw = env[CONFIG_ENV];
  if (!raw) throw new Error(`${CONFIG_ENV} is not set: the Electron double is started by test/shell/support/shell-process.ts`);
  return DoubleConfig.parse(JSON.parse(raw));
}

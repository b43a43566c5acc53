/**
 * What "Console" needs from the desktop: open an address in the OS browser, or put it on the
 * clipboard. The Electron shell passes its own (shell.openExternal, clipboard); elsewhere (the
 * CLI, the browser harness) the OS opener is used — $BROWSER when set, as Unix tools honour it,
 * else xdg-open, open or the URL handler — and there is no clipboard.
 */
import { AppError } from '../domain/errors.js';

export interface DesktopActions {
  openExternal(url: string): Promise<void>;
  /** Absent where no clipboard can be reached. */
  copyText?: ((text: string) => Promise<void>) | undefined;
}

function opener(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): { command: string; args: string[] } {
  const browser = env.BROWSER?.split(':')[0]?.trim();
  if (browser) return { command: browser, args: [] };
  if (platform === 'darwin') return { command: 'open', args: [] };
  // Not `cmd /c start`: cmd would read the & of the address's query as a command separator.
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler'] };
  return { command: 'xdg-open', args: [] };
}

/** The OS opener. The address goes as an argument, never through a shell or a log. */
export function systemDesktop(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): DesktopActions {
  return {
    openExternal: async (url) => {
      // Loaded when a browser is opened: every command of the CLI builds this, few open one.
      const { spawn } = await import('node:child_process');
      return new Promise<void>((resolve, reject) => {
        const { command, args } = opener(env, platform);
        const child = spawn(command, [...args, url], { stdio: 'ignore', detached: platform !== 'win32' });
        child.once('error', (err) =>
          reject(
            new AppError('internal', `ISO Desk could not start a browser (${command}: ${err.message}).`, {
              hint: 'Set the BROWSER environment variable to your browser, or use "isodesk console --show-url" and open the link yourself.',
            }),
          ),
        );
        child.once('spawn', () => {
          child.unref();
          resolve();
        });
      });
    },
  };
}

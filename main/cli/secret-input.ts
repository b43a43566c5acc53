/**
 * Reads an API key or token from stdin (`--key -`) so that it stays out of shell history and the
 * process list: piped input is read to its first line; on a terminal the user types it unseen.
 */
import type { Stream } from './output.js';
import { AppError } from '../domain/errors.js';

export interface SecretSource extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

export async function readSecret(stdin: SecretSource, prompt: Stream, label: string): Promise<string> {
  const value = stdin.isTTY && stdin.setRawMode ? await typeHidden(stdin, prompt, label) : await firstLine(stdin);
  if (!value)
    throw new AppError('usage', `No ${label} was given on standard input.`, { hint: `Pipe the ${label} in, e.g. "isodesk login --key - < key.txt".` });
  return value;
}

async function firstLine(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.includes('\n')) break;
  }
  return (text.split(/\r?\n/)[0] ?? '').trim();
}

function typeHidden(stdin: SecretSource, prompt: Stream, label: string): Promise<string> {
  prompt.write(`${label[0]!.toUpperCase()}${label.slice(1)} (not shown): `);
  stdin.setRawMode!(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (result: () => void) => {
      stdin.setRawMode!(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      prompt.write('\n');
      result();
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return done(() => resolve(typed.trim()));
        if (ch === '\u0003') return done(() => reject(new AppError('usage', 'Sign-in cancelled.', { hint: null })));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** A yes/no question on the terminal; anything but "y" or "yes" is no. */
import type { Stream } from './output.js';
import type { SecretSource } from './secret-input.js';

/** Only when a person can answer: stdin and stderr (where the question goes) are terminals. */
export function canAsk(stdin: SecretSource, stderr: Stream): boolean {
  return stdin.isTTY === true && stderr.isTTY === true;
}

export async function confirm(stdin: SecretSource, prompt: Stream, question: string): Promise<boolean> {
  prompt.write(`${question} [y/N] `);
  let answer = '';
  stdin.resume();
  try {
    for await (const chunk of stdin) {
      answer += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (answer.includes('\n')) break;
    }
  } finally {
    stdin.pause();
  }
  return /^\s*y(es)?\s*$/i.test(answer.split('\n')[0] ?? '');
}

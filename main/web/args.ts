/**
 * Command-line values shared by `npm run web` and `npm run demo:web`. Checked by hand, not with
 * zod: the harness's entry loads nothing heavy before it listens (see server.ts).
 */

/** A flag's value that cannot be used; the message is for people. */
export class FlagError extends Error {}

export function wholeNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new FlagError(`--${flag} must be a whole number, not "${value}"`);
  return Number(value);
}

export function port(value: string | undefined, fallback: number): number {
  const n = wholeNumber('port', value, fallback);
  if (n > 65_535) throw new FlagError('--port must be at most 65535');
  return n;
}

/** An http(s) address, or undefined when the flag was not given. */
export function httpUrl(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new FlagError(`--${flag} must be an http or https address, not "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FlagError(`--${flag} must be an http or https address, not "${value}"`);
  return value;
}

/** A parse failure in plain words, followed by the usage line. */
export function usageError(err: unknown, usage: string): string {
  return `${err instanceof Error ? err.message : String(err)}\n${usage}`;
}

/** Command-line values shared by `npm run web` and `npm run demo:web`, validated with zod. */
import * as z from 'zod';

export const WholeNumber = z.string().regex(/^\d+$/, 'must be a whole number').transform(Number);
export const Port = WholeNumber.pipe(z.number().max(65_535, 'must be at most 65535'));

/** A parse failure in plain words, followed by the usage line. */
export function usageError(err: unknown, usage: string): string {
  const detail = err instanceof z.ZodError ? z.prettifyError(err) : err instanceof Error ? err.message : String(err);
  return `${detail}\n${usage}`;
}

/** The line that says how old a cached answer is, when it did not come fresh from HOSTKEY. */
import type { CommandContext } from '../context.js';
import { formatTime } from '../format.js';

export function freshnessNote(ctx: CommandContext, answer: { synced_at: number | null; offline?: boolean }): string | null {
  const when = answer.synced_at === null ? 'never synced' : `synced ${formatTime(answer.synced_at)}`;
  if (ctx.globals.offline) return `Offline: from the cache, ${when}.`;
  if (answer.offline) return `HOSTKEY could not be reached: showing the cached copy, ${when}.`;
  return null;
}

export function printFreshness(ctx: CommandContext, answer: { synced_at: number | null; offline?: boolean }): void {
  const note = freshnessNote(ctx, answer);
  if (note) ctx.out.line(note);
}

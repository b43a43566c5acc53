/**
 * Any thrown value as ErrorInfo, the data IPC and the CLI report. Apart from errors.ts because it
 * checks foreign values with the zod model, and throwing an AppError must not load zod.
 */
import { AppError } from './errors.js';
import { ErrorInfo } from './models.js';

/** Unexpected errors become 'internal' without leaking internals. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof AppError) return err.toInfo();
  const parsed = ErrorInfo.safeParse(err);
  if (parsed.success) return parsed.data;
  const message = err instanceof Error ? err.message : String(err);
  return new AppError('internal', message).toInfo();
}

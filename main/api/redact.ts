/**
 * Keeps secrets out of every log line and error message: form fields, JSON fields and query
 * parameters named like a secret are masked, and so is any known secret value wherever it stands.
 */
import { AppError } from '../domain/errors.js';
import { SECRET_FIELDS } from './fields.js';

const NAMES = SECRET_FIELDS.join('|');
// key=value in forms and query strings, "key":"value" in JSON, and params[key]=value.
const FORM = new RegExp(`((?:^|[?&\\s])(?:params\\[)?(?:${NAMES})\\]?=)[^&\\s]*`, 'gi');
const JSON_FIELD = new RegExp(`("(?:${NAMES})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
const MASK = '[redacted]';

export function redact(text: string, knownSecrets: Iterable<string | undefined | null> = []): string {
  // Short values would mask ordinary words; real keys and tokens are long (maskKnown).
  return maskKnown(text.replace(FORM, `$1${MASK}`).replace(JSON_FIELD, `$1"${MASK}"`), knownSecrets);
}

/** Only the known secret values masked: for texts that hold other secrets on purpose (a console address). */
export function maskKnown(text: string, knownSecrets: Iterable<string | undefined | null>): string {
  let out = text;
  for (const secret of knownSecrets) if (secret && secret.length >= 8) out = out.split(secret).join(MASK);
  return out;
}

/** The same error with its message and hint redacted (a new AppError when anything changed). */
export function redactError(err: AppError, knownSecrets: Iterable<string | undefined | null> = []): AppError {
  const secrets = [...knownSecrets];
  const message = redact(err.message, secrets);
  const hint = err.hint === null ? null : redact(err.hint, secrets);
  if (message === err.message && hint === err.hint) return err;
  return new AppError(err.kind, message, { hint, code: err.code, cause: err.cause });
}

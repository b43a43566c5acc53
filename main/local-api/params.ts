/**
 * Typed reads of a request's form fields. A missing or malformed argument becomes HOSTKEY's
 * validation answer, `{"code":-1,"message":"invalid argument <name>"}`.
 */
import * as z from 'zod';
import { invalidArgument } from './envelopes.js';
import { argumentName } from './spec.js';

const Int = z
  .string()
  .regex(/^-?\d+$/)
  .transform(Number)
  .pipe(z.number().int().safe());
const Flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const Email = z.email();

export class Params {
  constructor(private readonly fields: URLSearchParams) {}

  /** Trimmed text; empty counts as absent, as PHP's empty() does. */
  text(field: string): string | null {
    const value = this.fields.get(field)?.trim();
    return value ? value : null;
  }

  requiredText(field: string): string {
    const value = this.text(field);
    if (value === null) throw invalidArgument(argumentName(field));
    return value;
  }

  int(field: string): number | null {
    const value = this.text(field);
    if (value === null) return null;
    const parsed = Int.safeParse(value);
    if (!parsed.success) throw invalidArgument(argumentName(field), 'must be a whole number');
    return parsed.data;
  }

  requiredInt(field: string): number {
    const value = this.int(field);
    if (value === null) throw invalidArgument(argumentName(field));
    return value;
  }

  flag(field: string): boolean | null {
    const value = this.text(field);
    if (value === null) return null;
    const parsed = Flag.safeParse(value.toLowerCase());
    if (!parsed.success) throw invalidArgument(argumentName(field), 'must be 0 or 1');
    return parsed.data;
  }

  email(field: string): string | null {
    const value = this.text(field);
    if (value === null) return null;
    if (!Email.safeParse(value).success) throw invalidArgument(argumentName(field), 'must be a valid email address');
    return value.toLowerCase();
  }
}

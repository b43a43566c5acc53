/**
 * A success needs its payload: the rules, in one place, for what each answer must carry before the
 * app believes it. The envelope (envelope.ts) says whether HOSTKEY reported success; this says
 * whether the success holds what the seed and the docs promise. Anything short of that is a
 * BadAnswerError with a plain message, so no caller ever replaces its data with a list that was
 * never sent. Bulk decoders (e.g. a lean list validator) reuse `listOf` and `entryProblem`.
 */
import * as z from 'zod';
import { BadAnswerError, type Body } from './envelope.js';

/** The answers that carry a list, and the fields it may stand in, in order of preference. */
export const LIST_FIELDS = {
  // The seed's example puts the list at the top level, beside `server_id`.
  list_iso: ['iso_images'],
  // The seed shows no answer: `data` is the ISO module's envelope, `iso_images` list_iso's.
  uploaded: ['data', 'iso_images'],
  // The seed's example.
  history: ['data'],
  // shared/docs/hostkey-api.md, "Servers".
  list: ['servers'],
} as const satisfies Record<string, readonly string[]>;
export type ListAction = keyof typeof LIST_FIELDS;

/** What a list holds, for messages. */
const LIST_WHAT: Record<ListAction, string> = {
  list_iso: 'list of ISO images',
  uploaded: 'list of uploaded images',
  history: 'history entries',
  list: 'list of servers',
};

/**
 * The list an answer must carry, as the raw entries. An absent list is an error, never an empty
 * one: an empty list is `[]`, sent as such.
 */
export function listOf(action: ListAction, body: Body): unknown[] {
  const fields: readonly string[] = LIST_FIELDS[action];
  for (const field of fields) {
    const value = body[field];
    if (Array.isArray(value)) return value;
  }
  const spelled = fields.map((f) => `"${f}"`).join(' or ');
  throw new BadAnswerError(`HOSTKEY answered ${action} without its ${LIST_WHAT[action]} (${spelled}).`);
}

/**
 * Why an entry could not be read, in words for people: the first problem only, with its place
 * (`iso_images[3].id`). Values are never quoted: they may hold anything, secrets included.
 */
export function entryProblem(error: z.ZodError, input: unknown, root: string): string {
  const issue = error.issues[0];
  if (!issue) return `${root || 'the answer'} could not be read`;
  let where = root;
  let value: unknown = input;
  for (const key of issue.path) {
    where += typeof key === 'number' ? `[${key}]` : where ? `.${String(key)}` : String(key);
    value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return `${where || 'the answer'} ${value === undefined || value === null ? 'is missing' : 'has an unexpected value'}`;
}

/** Decodes one value of an answer with its schema, or says in plain words what was wrong. */
export function decodePart<S extends z.ZodType>(action: string, schema: S, value: unknown, root: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new BadAnswerError(`HOSTKEY's answer to ${action} cannot be used: ${entryProblem(parsed.error, value, root)}.`, { cause: parsed.error });
}

/** An answer's list, each entry decoded with `entry`. */
export function decodeList<S extends z.ZodType>(action: ListAction, body: Body, entry: S): z.output<S>[] {
  const root = LIST_FIELDS[action].find((f) => Array.isArray(body[f])) ?? action;
  return decodePart(action, z.array(entry), listOf(action, body), root);
}

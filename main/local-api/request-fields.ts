/**
 * The request field names the local API parses, derived from the client's own form builders in
 * main/api/fields.ts so that each name is spelled once: if the client's names change, the local
 * API follows. Each name is found by building a form with and without one input property.
 */
import { AUTH_FIELDS, callbackFields, eqFields, isoFields, type FormFields } from '../api/fields.js';

/** The field every module reads first; fields.ts has no constant for it. */
export const ACTION_FIELD = 'action';
export const TOKEN_FIELD = AUTH_FIELDS.token;

type FieldNames<I> = { readonly [K in keyof I]-?: string };

function namesOf<I extends object>(build: (input: I) => FormFields, sample: Required<I>): FieldNames<I> {
  const full = Object.keys(build(sample));
  const names: Record<string, string> = {};
  for (const property of Object.keys(sample)) {
    const without = new Set(Object.keys(build({ ...sample, [property]: undefined })));
    const added = full.filter((field) => !without.has(field));
    if (added.length !== 1 || added[0] === undefined) {
      throw new Error(`main/api/fields.ts: cannot tell which form field carries "${property}"`);
    }
    names[property] = added[0];
  }
  return names as FieldNames<I>;
}

export const ISO_FIELDS = {
  add: namesOf(isoFields.add, {
    name: 'n',
    short_name: 's',
    iso_name: 'i',
    private: 'p',
    description: 'd',
    admin_only: true,
    status: 'st',
  }),
  del: namesOf(isoFields.del, { id: 1, pending: true }),
  delete: namesOf(isoFields.delete, { id: 1 }),
  history: namesOf(isoFields.history, { id: 1 }),
  list_iso: namesOf(isoFields.list_iso, { server_id: 1 }),
  mount_iso: namesOf(isoFields.mount_iso, { server_id: 1, iso: 'i' }),
  unmount_iso: namesOf(isoFields.unmount_iso, { server_id: 1 }),
  update: namesOf(isoFields.update, { id: 1, description: 'd', iso_name: 'i' }),
  upload: namesOf(isoFields.upload, { url: 'u', email: 'e', customer_id: 1 }),
  uploaded: namesOf(isoFields.uploaded, { email: 'e' }),
};

export const EQ_FIELDS = {
  show: namesOf(eqFields.show, { id: 1 }),
};

export const CALLBACK_FIELDS = {
  check: namesOf(callbackFields.check, { key: 'k' }),
};

export { AUTH_FIELDS };

/** The argument's own name, as HOSTKEY's messages use it: `params[iso_name]` → `iso_name`. */
export function argumentName(field: string): string {
  return /^params\[(.+)\]$/.exec(field)?.[1] ?? field;
}

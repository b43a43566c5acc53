/**
 * What ISO Desk refuses before asking HOSTKEY, decided here once. The rule: block in advance only
 * what the seed forbids; where it is silent, offer the action and let HOSTKEY's answer decide.
 *
 * - `add` "requires administrator privileges": blocked for everyone else.
 * - `del` is "available to administrators and owners of private images": blocked for a customer
 *   who does not own the image. The alternative `delete` deletes the same image, so the same rule
 *   holds for it.
 * - `update` names no role: always offered.
 */
import type { Capabilities, IsoImage } from './models.js';

export interface Owner {
  email: string | null;
  /** Ids of the images HOSTKEY lists as this account's own uploads (`uploaded`). */
  uploadIds: ReadonlySet<number>;
}

/** True when the image is the account's own: listed by `uploaded`, or private to its email. */
export function ownsImage(iso: Pick<IsoImage, 'id' | 'private'>, owner: Owner): boolean {
  if (owner.uploadIds.has(iso.id)) return true;
  return !!iso.private && !!owner.email && iso.private.trim().toLowerCase() === owner.email.trim().toLowerCase();
}

export function mayDelete(capabilities: Pick<Capabilities, 'delete'>, owns: boolean): boolean {
  return capabilities.delete || owns;
}

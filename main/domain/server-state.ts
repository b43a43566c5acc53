/**
 * A server's state in plain words, for the app and the command line alike: the normalised state,
 * and what HOSTKEY's billing condition word means where its docs name it.
 */
import type { Server } from './models.js';

/** The server state in plain words (the normalised state, from HOSTKEY's billing condition). */
export const SERVER_STATE_LABEL: Record<Server['state'], string> = {
  active: 'Active',
  suspended: 'Suspended',
  pending: 'Pending',
  unknown: 'State unknown',
};

/** What HOSTKEY's billing condition word means, for the words its docs name; null says nothing more. */
const CONDITIONS: Record<string, string | null> = {
  rent: null,
  power_off: 'powered off by billing',
  presale: 'not yet handed over',
  tt: 'technical work in progress',
};

/** One phrase for the server's state: "Suspended — powered off by billing"; unknown words stay verbatim. */
export function serverStateText(server: Pick<Server, 'state' | 'condition'>): string {
  const label = SERVER_STATE_LABEL[server.state];
  const word = server.condition?.trim() ?? '';
  if (!word) return label;
  const known = CONDITIONS[word.toLowerCase()];
  if (known === undefined) return `${label} — billing says “${word}”`;
  return known === null ? label : `${label} — ${known}`;
}

/** How HOSTKEY's answer to a deletion reads: its own words, never more than it said. */
import type { DeleteOutcome } from '../../../main/domain/models.js';

export function deletionNotice(name: string, outcome: DeleteOutcome): { title: string; detail: string } {
  const { status, message } = outcome;
  const title = status !== null && /^deleted$/i.test(status) ? `Deleted ${name}` : `Deletion accepted: ${name}`;
  const said = status === null ? 'HOSTKEY accepted the request without giving a status.' : `HOSTKEY answered “${status}”.`;
  return { title, detail: message === null || message === status ? said : `${said} ${message}` };
}

/** How the session's secret storage is explained next to the API key field. */
import type { SessionStatus } from '../../../main/ipc/contract.js';

const MODE_TEXT: Record<SessionStatus['secrets']['mode'], string> = {
  encrypted: 'Your key or token is stored encrypted by the operating system.',
  file: 'Your key or token is stored in a file only your user account can read.',
  memory: 'Your key or token is kept in memory only: you will need to sign in again after ISO Desk restarts.',
};

export function secretStorageText(secrets: SessionStatus['secrets']): string {
  return [MODE_TEXT[secrets.mode], secrets.note].filter(Boolean).join(' ');
}

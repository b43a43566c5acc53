/**
 * Whether safeStorage really protects secrets on this machine. On Linux Electron falls back to a
 * hard-coded key ('basic_text') when no keyring answers, which is plain text in all but name; then
 * the secrets stay in memory and the user is told why.
 */
export interface SafeStorageFacts {
  platform: NodeJS.Platform;
  encryptionAvailable: boolean;
  /** safeStorage.getSelectedStorageBackend() on Linux; null elsewhere. */
  linuxBackend: string | null;
}

export type SecretStorageChoice = { mode: 'encrypted' } | { mode: 'memory'; note: string };

const AFTER_RESTART = 'You will need to sign in again after ISO Desk restarts.';

export function chooseSecretStorage(facts: SafeStorageFacts): SecretStorageChoice {
  if (!facts.encryptionAvailable) {
    return {
      mode: 'memory',
      note: `Your API key and token are kept in memory only: the operating system's encryption service is not available. ${AFTER_RESTART}`,
    };
  }
  if (facts.platform === 'linux' && (facts.linuxBackend === 'basic_text' || facts.linuxBackend === 'unknown')) {
    return {
      mode: 'memory',
      note:
        'Your API key and token are kept in memory only: no keyring (GNOME Keyring or KWallet) was found, so they could only be ' +
        `saved as plain text. Install and unlock a keyring (for example gnome-keyring), then restart ISO Desk. ${AFTER_RESTART}`,
    };
  }
  return { mode: 'encrypted' };
}

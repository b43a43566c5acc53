/**
 * The desktop app's secret store: the system keyring it shares with the isodesk command line
 * (main/session/shared-secrets.ts); where no keyring answers, safeStorage-encrypted when the OS
 * really protects it, else memory.
 */
import path from 'node:path';
import { safeStorage } from 'electron';
import { FileSecretStore, MemorySecretStore, type SecretStore } from '../session/secrets.js';
import { openAppSecretStore } from '../session/shared-secrets.js';
import { chooseSecretStorage } from './secret-storage-policy.js';

export const SECRETS_FILE = 'secrets.bin';

/** Call after the app is ready (safeStorage picks its backend at start-up). */
export function createSecretStore(dataDir: string): SecretStore {
  return openAppSecretStore(dataDir, safeStorageStore(dataDir));
}

function safeStorageStore(dataDir: string): SecretStore {
  const choice = chooseSecretStorage({
    platform: process.platform,
    encryptionAvailable: safeStorage.isEncryptionAvailable(),
    linuxBackend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null,
  });
  if (choice.mode === 'memory') return new MemorySecretStore(choice.note);
  return new FileSecretStore(
    path.join(dataDir, SECRETS_FILE),
    { encode: (text) => safeStorage.encryptString(text), decode: (data) => safeStorage.decryptString(data) },
    { mode: 'encrypted' },
  );
}

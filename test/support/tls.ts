/**
 * A throw-away certificate for 127.0.0.1, made by openssl for one test run, so tests can serve
 * real https without shipping a private key. Null (with the reason) where openssl is missing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LoopbackCertificate {
  key: string;
  cert: string;
}

export function loopbackCertificate(): LoopbackCertificate | { skip: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-tls-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    const made = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1'].concat([
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ]),
      { encoding: 'utf8' },
    );
    if (made.error || made.status !== 0) return { skip: `openssl could not make a test certificate (${made.error?.message ?? made.stderr.trim()})` };
    return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `isodesk ARGS` in this process (runCli with captured streams), for tests that hand the CLI what
 * a child process cannot get: a known-host table pointed at loopback servers.
 */
import { PassThrough } from 'node:stream';
import { runCli } from '../../main/cli/run.js';
import type { KnownHost } from '../../main/domain/diagnostics.js';

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function isodeskInProcess(
  args: string[],
  opts: { dataDir: string; apiUrl?: string; input?: string; knownHosts?: readonly KnownHost[] },
): Promise<InProcessRun> {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  stdin.end(opts.input ?? '');
  const code = await runCli({
    argv: args,
    env: { ISODESK_DATA_DIR: opts.dataDir, ISODESK_NO_KEYRING: '1', ...(opts.apiUrl ? { ISODESK_API_URL: opts.apiUrl } : {}) },
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    stdin,
    interrupt: new Promise(() => undefined),
    knownHosts: opts.knownHosts,
  });
  return { code, stdout, stderr };
}

/**
 * What every browser test runs against: the local HOSTKEY API and the browser harness on
 * 127.0.0.1, in this test process, with a fresh data folder and fast task timings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalApi, type LocalApi, type LocalApiOptions } from '../../../main/local-api/server.js';
import { startWebHarness, type WebHarness } from '../../../main/web/server.js';
import { ensureRendererBuilt, RENDERER_DIR } from './renderer-build.js';
import type { KnownHost } from '../../../main/domain/diagnostics.js';

/** Tasks and uploads end within about a second, and the app asks often enough to see it. */
const FAST_API: LocalApiOptions = { taskDelayMs: 600, uploadStepMs: 500, quiet: true };
const FAST_POLL = { min: 150, max: 500 };

export interface Stack {
  api: LocalApi;
  harness: WebHarness;
  dataDir: string;
  /** Closes the harness and starts a new one on the same data folder (an app restart). */
  restartHarness(): Promise<WebHarness>;
  close(): Promise<void>;
}

export interface StackOptions {
  api?: Partial<LocalApiOptions>;
  /**
   * true (default): the harness points every profile at the local API, whatever base URL is
   * typed. false: the base URL typed at sign-in is used, as with the real HOSTKEY.
   */
  pinApiUrl?: boolean;
  /** The known HOSTKEY hosts the sign-in screen offers (loopback servers, this stack's API among them). */
  knownHosts?: (api: LocalApi) => readonly KnownHost[];
  /** A certificate authority (PEM) the harness trusts for file hosts (a test publisher's). */
  fileHostCa?: string;
}

/** A harness whose app is open, as before any test step (a failure to open fails the set-up). */
async function startHarness(
  apiUrl: string | undefined,
  dataDir: string,
  extra: { knownHosts?: readonly KnownHost[]; fileHostCa?: string },
): Promise<WebHarness> {
  const harness = await startWebHarness({ apiUrl, dataDir, rendererDir: RENDERER_DIR, taskPoll: FAST_POLL, uploadPoll: FAST_POLL, ...extra });
  await harness.ready;
  return harness;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  await ensureRendererBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-e2e-'));
  const localApi = await startLocalApi({ ...FAST_API, ...opts.api });
  const pinned = opts.pinApiUrl === false ? undefined : localApi.url;
  const knownHosts = opts.knownHosts?.(localApi);
  const extra = { ...(knownHosts && { knownHosts }), ...(opts.fileHostCa && { fileHostCa: opts.fileHostCa }) };
  const stack: Stack = {
    api: localApi,
    harness: await startHarness(pinned, dataDir, extra),
    dataDir,
    restartHarness: async () => {
      await stack.harness.close();
      stack.harness = await startHarness(pinned, dataDir, extra);
      return stack.harness;
    },
    close: async () => {
      await stack.harness.close();
      await localApi.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}

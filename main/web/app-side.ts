/**
 * The app behind the harness's page: the services (createApp) and the event stream, everything
 * that needs zod, undici and SQLite. server.ts imports this module only once it
 * listens, so the page's files are on their way while the app opens (the bundle puts it in a
 * chunk of its own).
 */
import type { ServerResponse } from 'node:http';
import type { KnownHost } from '../domain/diagnostics.js';
import { createApp, type App } from '../app.js';
import { openCommandLineSecretStore, SECRETS_FILE } from '../session/shared-secrets.js';
import type { PollBounds } from '../tasks/schedule.js';
import { streamEvents } from './event-stream.js';

/** Where the harness keeps secrets when no keyring answers: the command line's file, shared with it. */
export const WEB_SECRETS_FILE = SECRETS_FILE;

export interface AppSideOptions {
  /** The cache, the task journal and the secrets file live here. */
  dataDir: string;
  /** Overrides every profile's API base URL (the local API in tests and demos). */
  apiUrl?: string | undefined;
  taskPoll?: PollBounds | undefined;
  uploadPoll?: PollBounds | undefined;
  /** The known HOSTKEY hosts; tests point them at local servers to sign in through the host picker. */
  knownHosts?: readonly KnownHost[] | undefined;
  /** An extra certificate authority (PEM) trusted for the file hosts checked before an upload (tests). */
  fileHostCa?: string | undefined;
}

export interface AppSide {
  app: App;
  streamEvents(res: ServerResponse, headers: Readonly<Record<string, string>>): void;
}

export async function openAppSide(opts: AppSideOptions): Promise<AppSide> {
  const app = await createApp({
    dataDir: opts.dataDir,
    // The store the CLI uses: the harness stands in for the app, and signing in there signs in both.
    secrets: openCommandLineSecretStore(opts.dataDir),
    apiUrl: opts.apiUrl,
    trackTasks: true,
    holdForFirstRows: true,
    taskPoll: opts.taskPoll,
    uploadPoll: opts.uploadPoll,
    knownHosts: opts.knownHosts,
    fileHostCa: opts.fileHostCa,
  });
  return { app, streamEvents: (res, headers) => streamEvents(res, app.events, headers) };
}

/**
 * What a command runs with: the app's services, the output, the global options, and `call`,
 * which validates the command's input with the same contract schema IPC uses before calling the
 * service, so the CLI and the desktop app accept exactly the same requests.
 */
import type { z } from 'zod';
import type { App } from '../app.js';
import { CHANNELS, type Channel, type ParsedRequest, type Request, type Response } from '../ipc/contract.js';
import type { Output } from './output.js';
import { usageError } from './options.js';

export interface Globals {
  apiUrl: string | undefined;
  dataDir: string;
  secretsFile: string;
  profile: string | undefined;
  offline: boolean;
}

/** Field name → the flag or argument the user typed it as, when they differ (server_id → --server). */
export type FieldLabels = Record<string, string>;

export type CallInput<C extends Channel> = { [K in keyof Request<C>]?: unknown };

export class CommandContext {
  private readonly cleanups = new Set<() => void>();

  constructor(
    readonly app: App,
    readonly out: Output,
    readonly globals: Globals,
    readonly command: string,
  ) {}

  async call<C extends Channel>(channel: C, input: CallInput<C>, labels: FieldLabels = {}): Promise<Response<C>> {
    const parsed = CHANNELS[channel].request.safeParse(input);
    if (!parsed.success) throw usageError(describeIssues(parsed.error, input, labels), this.command);
    const service = this.app.services[channel] as unknown as (req: ParsedRequest<C>) => Promise<Response<C>>;
    return service(parsed.data as ParsedRequest<C>);
  }

  /** Registers what to print or undo if the user presses Ctrl-C; returns the unregister function. */
  onInterrupt(cleanup: () => void): () => void {
    this.cleanups.add(cleanup);
    return () => this.cleanups.delete(cleanup);
  }

  interrupted(): void {
    for (const cleanup of this.cleanups) cleanup();
    this.cleanups.clear();
  }
}

function describeIssues(error: z.ZodError, input: Record<string, unknown>, labels: FieldLabels): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const field = issue.path.map(String).join('.');
    if (!field) return issue.message;
    const label = labels[field] ?? `--${field.replace(/_/g, '-')}`;
    return input[field] === undefined ? `${label} is required` : `${label}: ${issue.message}`;
  });
  return `${parts.join('; ')}.`;
}

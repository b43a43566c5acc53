/**
 * The body of every IPC handler: refuse untrusted senders, then hand the channel and payload to
 * dispatch, which rejects unknown channels and validates the payload against the contract.
 * Kept free of Electron so the refusal paths are tested under Node.
 */
import { AppError } from '../domain/errors.js';
import type { Dispatch } from '../ipc/dispatch.js';
import type { Result } from '../ipc/contract.js';
import { isTrustedSender, type SenderInfo } from './sender-trust.js';

export type InvokeHandler = (sender: SenderInfo, channel: string, payload: unknown) => Promise<Result<unknown>>;

export function createInvokeHandler(dispatch: Dispatch, trustedWebContentsId: () => number | null): InvokeHandler {
  return async (sender, channel, payload) => {
    if (!isTrustedSender(sender, trustedWebContentsId())) {
      return {
        ok: false,
        error: new AppError('permission', 'This request did not come from the ISO Desk window and was refused.', { hint: null }).toInfo(),
      };
    }
    return dispatch(channel, payload);
  };
}

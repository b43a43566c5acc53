/**
 * `POST /rpc/<channel>`: the body is parsed as JSON and handed, with the channel name, to the
 * app's own dispatch, the function Electron's IPC handlers call. Validation, unknown channels and
 * errors are all answered by dispatch as a Result; this module only moves bytes.
 */
import type { IncomingMessage } from 'node:http';
import type { Dispatch } from '../ipc/dispatch.js';
import type { Result } from '../ipc/contract.js';
import type { Refusal } from './request-guard.js';

/** The largest request in the contract (an upload URL, an ISO description) fits well within this. */
export const MAX_BODY_BYTES = 64 * 1024;

class BodyError extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.reason);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new BodyError({ status: 413, reason: 'Request too large.' });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const data = chunk as Buffer;
    size += data.length;
    if (size > MAX_BODY_BYTES) throw new BodyError({ status: 413, reason: 'Request too large.' });
    chunks.push(data);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export type RpcAnswer = { result: Result<unknown> } | { refusal: Refusal };

export async function answerRpc(req: IncomingMessage, channel: string, dispatch: Dispatch): Promise<RpcAnswer> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) return { refusal: { status: 415, reason: 'Send JSON.' } };
  let text: string;
  try {
    text = await readBody(req);
  } catch (err) {
    if (err instanceof BodyError) return { refusal: err.refusal };
    throw err;
  }
  let payload: unknown;
  try {
    payload = text === '' ? {} : JSON.parse(text);
  } catch {
    return { refusal: { status: 400, reason: 'The body is not valid JSON.' } };
  }
  return { result: await dispatch(channel, payload) };
}

/**
 * The use cases, keyed by the IPC contract's channel names: each service function takes the
 * validated request of its channel and answers its response. The IPC handlers, the browser
 * harness and the CLI all call these, so the contract types the services end to end.
 */
import type { Channel, ParsedRequest, Response } from '../ipc/contract.js';

export type Services = { [C in Channel]: (req: ParsedRequest<C>) => Promise<Response<C>> };

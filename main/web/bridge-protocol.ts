/**
 * The loopback protocol between the harness server and its bridge script in the page: the paths
 * and the header that carries the per-run secret. Shared by both sides so they cannot drift.
 */
export const BRIDGE_PATH = '/bridge.js';
/** `POST /rpc/<channel>` with the request as a JSON body; answers the dispatch Result as JSON. */
export const RPC_PREFIX = '/rpc/';
/** `GET /events`: a Server-Sent Events stream of the app's events. */
export const EVENTS_PATH = '/events';
/** A custom header, so a cross-origin page cannot send it without a CORS preflight (never granted). */
export const SECRET_HEADER = 'x-isodesk-bridge';

/** Every module's handlers, keyed the way MODULE_PATHS and ACTIONS name them. */
import type { ActionOf, ApiModule } from '../../api/fields.js';
import { authHandlers } from './auth.js';
import { callbackHandlers } from './callback.js';
import { eqHandlers } from './eq.js';
import { isoHandlers } from './iso.js';
import type { Handler } from './request.js';

export const HANDLERS: { [M in ApiModule]: Record<ActionOf<M>, Handler> } = {
  iso: isoHandlers,
  auth: authHandlers,
  eq: eqHandlers,
  callback: callbackHandlers,
};

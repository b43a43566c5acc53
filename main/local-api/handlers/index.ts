/** Every module's handlers, keyed the way spec.ts names modules and actions. */
import type { ActionIn, Module } from '../spec.js';
import { authHandlers } from './auth.js';
import { callbackHandlers } from './callback.js';
import { eqHandlers } from './eq.js';
import { isoHandlers } from './iso.js';
import type { Handler } from './request.js';

export const HANDLERS: { [M in Module]: Record<ActionIn<M>, Handler> } = {
  iso: isoHandlers,
  auth: authHandlers,
  eq: eqHandlers,
  callback: callbackHandlers,
};

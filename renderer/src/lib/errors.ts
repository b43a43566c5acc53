/** Any failure as one line people read: what happened (the API's words), then what to do next. */
import { toErrorInfo } from '../../../main/domain/error-info.js';

export function errorText(err: unknown): string {
  const info = toErrorInfo(err);
  return [info.message, info.hint].filter(Boolean).join(' ');
}

/** The IPC channels of issue #9 (jobs, power, console, PIN), wired to their services. */
import { AppError } from '../domain/errors.js';
import type { Services } from './types.js';

type BootChannel =
  | 'jobs/list'
  | 'jobs/bootIso'
  | 'jobs/backToDisk'
  | 'jobs/power'
  | 'jobs/retry'
  | 'jobs/skip'
  | 'jobs/cancel'
  | 'jobs/resume'
  | 'jobs/clear'
  | 'power/status'
  | 'power/list'
  | 'console/open'
  | 'console/stop'
  | 'pin/answer'
  | 'pin/forget'
  | 'pin/status';

const notYet = (): Promise<never> => Promise.reject(new AppError('internal', 'Not built yet.'));

export function createBootServices(): Pick<Services, BootChannel> {
  return {
    'jobs/list': async () => [],
    'jobs/bootIso': notYet,
    'jobs/backToDisk': notYet,
    'jobs/power': notYet,
    'jobs/retry': notYet,
    'jobs/skip': notYet,
    'jobs/cancel': notYet,
    'jobs/resume': notYet,
    'jobs/clear': async () => ({ cleared: 0 }),
    'power/status': notYet,
    'power/list': async () => [],
    'console/open': notYet,
    'console/stop': notYet,
    'pin/answer': notYet,
    'pin/forget': async () => null,
    'pin/status': async () => ({ held: false, wrong_tries: 0, locked: false }),
  };
}

/**
 * The user's preferences that main must know too, because the desktop acts on them while the
 * window is hidden: for now, when to remind the user of an ISO left attached (issue #9).
 */
import * as z from 'zod';

/** The detach reminder's default: two hours (issue #9). */
export const DEFAULT_DETACH_REMINDER_MINUTES = 120;

export const Preferences = z.object({
  /** Remind of an ISO mounted through ISO Desk after this many minutes; 0: never. At most a week. */
  detach_reminder_minutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60),
});
export type Preferences = z.output<typeof Preferences>;

export const DEFAULT_PREFERENCES: Preferences = { detach_reminder_minutes: DEFAULT_DETACH_REMINDER_MINUTES };

/**
 * Imported first (main.ts): zod probes for `new Function` when the first object schema is built,
 * which happens as the IPC contract is imported. The app's CSP has no 'unsafe-eval', so the probe is
 * refused and reported as a violation on every start; jitless mode skips it (and parses without eval).
 */
import * as z from 'zod';

z.config({ jitless: true });

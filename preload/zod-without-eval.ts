/**
 * Imported first (index.ts): zod probes for `new Function` when the first object schema is built,
 * which happens as the IPC contract is imported. The page's CSP has no 'unsafe-eval', so the probe
 * would be refused and reported as a violation on every window load; jitless mode skips it.
 */
import * as z from 'zod';

z.config({ jitless: true });

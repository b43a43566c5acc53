/**
 * `npm run web -- --data-dir DIR [--api-url URL] [--port N]`: starts the browser harness and
 * prints the address to open. Stops cleanly on Ctrl+C (running tasks are kept and resume next time).
 */
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { Port, usageError } from './args.js';
import { startWebHarness } from './server.js';
import { stopOnSignal } from './stop-on-signal.js';

const USAGE = 'Usage: npm run web -- --data-dir DIR [--api-url URL] [--port N]';

const Flags = z.object({
  'api-url': z.url({ protocol: /^https?$/ }).optional(),
  port: Port.default(0),
  'data-dir': z.string({ error: 'give --data-dir DIR: the folder for the cache and the harness secrets' }).min(1),
});

async function main(): Promise<void> {
  let flags: z.output<typeof Flags>;
  try {
    const { values } = parseArgs({
      options: { 'api-url': { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' } },
      strict: true,
    });
    flags = Flags.parse(values);
  } catch (err) {
    console.error(usageError(err, USAGE));
    process.exit(2);
  }
  const harness = await startWebHarness({ apiUrl: flags['api-url'], port: flags.port, dataDir: flags['data-dir'] });
  console.log(`ISO Desk is running at ${harness.url}`);
  console.log('Press Ctrl+C to stop.');
  stopOnSignal(() => harness.close());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});

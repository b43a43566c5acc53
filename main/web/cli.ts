/**
 * `npm run web -- --api-url URL --port N --data-dir DIR`: starts the browser harness and prints
 * the address to open. Stops cleanly on Ctrl+C (running tasks are kept and resume next time).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startWebHarness, type WebHarness } from './server.js';
import { stopOnSignal } from './stop-on-signal.js';

const Args = z.object({
  'api-url': z.url({ protocol: /^https?$/ }).optional(),
  port: z.coerce.number().int().min(0).max(65_535).default(0),
  'data-dir': z.string().min(1, 'give --data-dir DIR: the folder for the cache and the harness secrets'),
});

const USAGE = 'Usage: npm run web -- --data-dir DIR [--api-url URL] [--port N]';

function parseWebArgs(argv: string[]): z.output<typeof Args> {
  const { values } = parseArgs({
    args: argv,
    options: { 'api-url': { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' } },
    strict: true,
  });
  const parsed = Args.safeParse({ ...values, 'data-dir': values['data-dir'] ?? '' });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('\n'));
  return parsed.data;
}

async function main(): Promise<void> {
  let args: z.output<typeof Args>;
  try {
    args = parseWebArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(2);
  }
  const harness: WebHarness = await startWebHarness({ apiUrl: args['api-url'], port: args.port, dataDir: args['data-dir'] });
  console.log(`ISO Desk is running at ${harness.url}`);
  console.log('Press Ctrl+C to stop.');
  stopOnSignal(() => harness.close());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});

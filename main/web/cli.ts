/**
 * `npm run web -- --data-dir DIR [--api-url URL] [--port N]`: starts the browser harness and
 * prints the address to open. Stops cleanly on Ctrl+C (running tasks are kept and resume next time).
 */
import { parseArgs } from 'node:util';
import { FlagError, httpUrl, port, usageError } from './args.js';
import { startWebHarness } from './server.js';
import { stopOnSignal } from './stop-on-signal.js';

const USAGE = 'Usage: npm run web -- --data-dir DIR [--api-url URL] [--port N]';

interface Flags {
  apiUrl: string | undefined;
  port: number;
  dataDir: string;
}

function readFlags(): Flags {
  const { values } = parseArgs({
    options: { 'api-url': { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' } },
    strict: true,
  });
  const dataDir = values['data-dir'];
  if (!dataDir) throw new FlagError('give --data-dir DIR: the folder for the cache and the harness secrets');
  return { apiUrl: httpUrl('api-url', values['api-url']), port: port(values.port, 0), dataDir };
}

async function main(): Promise<void> {
  let flags: Flags;
  try {
    flags = readFlags();
  } catch (err) {
    console.error(usageError(err, USAGE));
    process.exit(2);
  }
  const harness = await startWebHarness({ apiUrl: flags.apiUrl, port: flags.port, dataDir: flags.dataDir });
  console.log(`ISO Desk is running at ${harness.url}`);
  console.log('Press Ctrl+C to stop.');
  stopOnSignal(() => harness.close());
  await harness.ready.catch(async (err: unknown) => {
    console.error(`ISO Desk cannot open its data: ${err instanceof Error ? err.message : String(err)}`);
    await harness.close();
    process.exit(1);
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});

/**
 * Runs the local HOSTKEY API until SIGINT/SIGTERM:
 *   npx tsx main/local-api/cli.ts --port 8787 --isos 100000 --task-delay 3000
 * Prints its URL and the demo API keys (they only open this local server).
 */
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { CONTROL_PATH, DEMO_PIN, startLocalApi } from './server.js';
import { ANSWER_STYLES } from './alternatives.js';

const USAGE = `Usage: npm run fake-api -- [--port N] [--host ADDR] [--isos N] [--task-delay MS] [--upload-step MS] [--token-ttl S] [--answers documented|alternatives]`;

const Whole = z.string().regex(/^\d+$/, 'must be a whole number').transform(Number);

const Flags = z.object({
  port: Whole.optional(),
  host: z.string().min(1).optional(),
  isos: Whole.optional(),
  'task-delay': Whole.optional(),
  'upload-step': Whole.optional(),
  'token-ttl': Whole.optional(),
  answers: z.enum(ANSWER_STYLES).optional(),
});

async function main(): Promise<void> {
  let flags: z.output<typeof Flags>;
  try {
    const { values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        isos: { type: 'string' },
        'task-delay': { type: 'string' },
        'upload-step': { type: 'string' },
        'token-ttl': { type: 'string' },
        answers: { type: 'string' },
      },
      strict: true,
    });
    flags = Flags.parse(values);
  } catch (err) {
    const detail = err instanceof z.ZodError ? z.prettifyError(err) : err instanceof Error ? err.message : String(err);
    console.error(`${detail}\n${USAGE}`);
    process.exit(2);
  }

  const api = await startLocalApi({
    port: flags.port,
    host: flags.host,
    isoCount: flags.isos,
    taskDelayMs: flags['task-delay'],
    uploadStepMs: flags['upload-step'],
    tokenTtlSeconds: flags['token-ttl'],
    answers: flags.answers,
  });
  console.log(
    [
      'Demo API keys (they open only this local server):',
      `  client (Customer, 5 servers)  ${api.keys.client}`,
      `  admin  (Admin, Staff)         ${api.keys.admin}`,
      `  staff  (Employee, Staff)      ${api.keys.staff ?? ''}`,
      `  other  (Customer, 2 servers)  ${api.keys.other}`,
      `  no servers                    ${api.keys.noServers}`,
      `  pin    (Customer, PIN ${DEMO_PIN}, bare metal + VM)  ${api.keys.pin ?? ''}`,
      `Fault injection: POST ${api.url}${CONTROL_PATH} with JSON, e.g. {"serverErrors":2}`,
      api.answers === 'alternatives' ? 'Answers in the alternative shapes (string ids, nested login, unknown fields and statuses).' : null,
      'Press Ctrl+C to stop.',
    ]
      .filter((line) => line !== null)
      .join('\n'),
  );

  const stop = () => {
    api.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof z.ZodError ? z.prettifyError(err) : err instanceof Error ? err.message : String(err));
  process.exit(1);
});

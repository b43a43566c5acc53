#!/usr/bin/env node
/** The `isodesk` executable: wires the process (argv, streams, Ctrl-C, exit) to runCli. */
import { EXIT } from './exit-codes.js';
import { runCli } from './run.js';

async function main(): Promise<void> {
  let interrupts = 0;
  const interrupt = new Promise<void>((resolve) => {
    process.on('SIGINT', () => {
      // A second Ctrl-C does not wait for the clean-up.
      if (++interrupts > 1) process.exit(EXIT.interrupted);
      resolve();
    });
  });
  for (const stream of [process.stdout, process.stderr]) {
    // `isodesk list | head` closes the pipe early; that is not an error worth a stack trace.
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(EXIT.ok);
      throw err;
    });
  }
  const code = await runCli({
    argv: process.argv.slice(2),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    // A getter: opening stdin costs every start a few milliseconds, and only login and confirmations read it.
    get stdin() {
      return process.stdin;
    },
    interrupt,
  });
  // Exit once both streams are flushed: idle keep-alive connections must not hold the process open.
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((resolve) => s.write('', () => resolve()))));
  process.exit(code);
}

void main();

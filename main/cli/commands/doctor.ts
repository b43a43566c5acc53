/** `isodesk doctor`: the connection check, and the redacted report to attach to a bug report. */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../domain/errors.js';
import { doctorText } from '../../services/doctor-report.js';
import type { Command } from '../command.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Check the connection to HOSTKEY with read-only calls, and what its answers look like',
  usage: 'isodesk doctor [--report FILE] [--json]',
  details: [
    'Runs only calls that change nothing: auth.php info, eq.php list and show for one server, list_iso, uploaded and the history of one image. For each it shows the host, the time taken, whether the answer matched what ISO Desk expects, and every point where ISO Desk had to fall back (ids as text, another envelope, missing optional fields).',
    'It also asks each known HOSTKEY host whether it answers at all, and lists the open questions about HOSTKEY’s API (main/api/open-decisions.ts): where each stands, and how you can help settle those a read-only check cannot.',
    '--report FILE writes this report and the unexpected-answer log of the data folder into one file to attach to a bug report. It holds no API key, token, PIN, email, console or ISO address.',
    'Exit status: 0 when every call answered (even with fallbacks); otherwise that of the first failure (3 not signed in, 5 HOSTKEY unreachable…).',
  ],
  options: [{ name: 'report', value: 'FILE', help: 'Also write the redacted report and the answer log to FILE' }],
  async run(ctx, { flags }) {
    const file = flags.string('report');
    const report = await ctx.call('doctor/run', {});
    let written: string | null = null;
    if (file !== undefined) {
      const { text } = await ctx.call('doctor/bugReport', { report });
      written = path.resolve(file);
      try {
        fs.writeFileSync(written, text, { mode: 0o600 });
      } catch (err) {
        throw new AppError('storage', `Could not write the report to ${written}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`, {
          hint: 'Choose a folder you can write to.',
        });
      }
    }
    ctx.out.result(written ? { ...report, report_file: written } : report);
    ctx.out.line(doctorText(report).trimEnd());
    if (written) ctx.out.note(`Wrote the report and ${report.logged} answer-log ${report.logged === 1 ? 'entry' : 'entries'} to ${written}.`);
    const failed = report.steps.find((s) => s.outcome === 'failed');
    return failed ? (failed.error ? exitCodeFor(failed.error.kind) : EXIT.network) : EXIT.ok;
  },
};

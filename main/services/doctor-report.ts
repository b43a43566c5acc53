/**
 * The doctor's report as text (the CLI prints it; the bug report starts with it), and the bug
 * report itself: that text plus the unexpected-answer log, in one file a user can attach to an
 * issue. The file is redacted twice: what goes in is built from shapes and ISO Desk's own words,
 * and the whole text is then scrubbed of every secret ISO Desk holds, emails, URLs, token-like
 * strings and, in HOSTKEY's own messages, long numbers (a PIN is 4 to 6 characters).
 */
import { redact } from '../api/redact.js';
import type { AnswerNote, DecisionCheck, DoctorReport, DoctorStep } from '../domain/diagnostics.js';

const OUTCOME_TAG: Record<DoctorStep['outcome'], string> = {
  ok: 'ok',
  fell_back: 'fell back',
  unexpected: 'UNEXPECTED',
  failed: 'FAILED',
  skipped: 'skipped',
};

const STATE_TAG: Record<DecisionCheck['state'], string> = {
  as_expected: 'as expected',
  fell_back: 'fell back',
  unexpected: 'UNEXPECTED',
  untested: 'not tested',
  read_only: 'needs a change to test',
};

export function utcText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function doctorText(report: DoctorReport): string {
  const out: string[] = [];
  out.push(`ISO Desk ${report.version}: connection check, ${utcText(report.at)}`);
  const where = report.host ? ` at ${report.host_label ? `${report.host_label} (${report.host})` : report.host}` : '';
  out.push(report.profile ? `Profile "${report.profile}"${report.auth ? ` (${report.auth === 'key' ? 'API key' : 'token'})` : ''}${where}` : 'Not signed in');
  out.push('', 'Read-only calls');
  const tagWidth = Math.max(...Object.values(OUTCOME_TAG).map((t) => t.length));
  for (const step of report.steps) {
    const timing = step.ms === null ? '' : ` in ${step.ms} ms`;
    const host = step.host ? ` at ${step.host}` : '';
    out.push(`  ${OUTCOME_TAG[step.outcome].padEnd(tagWidth)}  ${step.title}${host}${timing}: ${step.summary}`);
    if (step.error?.hint && step.outcome === 'failed') out.push(`  ${' '.repeat(tagWidth)}    ${step.error.hint}`);
    for (const f of step.findings)
      out.push(`  ${' '.repeat(tagWidth)}    - ${f.kind === 'fallback' || f.kind === 'missing' ? 'fell back' : 'unexpected'}: ${f.point} [${f.decision}]`);
  }
  out.push('', 'Hosts');
  for (const h of report.hosts) {
    out.push(
      `  ${(h.answered ? (h.problem ? 'UNEXPECTED' : 'answers') : 'no answer').padEnd(tagWidth)}  ${h.label}${h.label.includes(h.host) ? '' : ` (${h.host})`}: ${h.answered ? `answered in ${h.ms} ms${h.problem ? `, but ${h.problem}` : ''}` : (h.problem ?? 'no answer')}`,
    );
  }
  out.push('', 'Open decisions (main/api/open-decisions.ts)');
  for (const d of report.decisions) {
    out.push(`  [${STATE_TAG[d.state]}] ${d.id}: ${d.question}`);
    out.push(`      ISO Desk: ${d.decision}`);
    out.push(`      Change: ${d.where}`);
    out.push(`      Doctor: ${d.doctor_checks}`);
    for (const e of d.evidence) out.push(`      Seen: ${e}`);
    if (d.help) out.push(`      You can help: ${d.help}`);
  }
  out.push(
    '',
    `Answer log: ${report.logged} ${report.logged === 1 ? 'entry' : 'entries'} in the data folder. "isodesk doctor --report FILE" writes them with this report into one redacted file.`,
  );
  return `${out.join('\n')}\n`;
}

export interface BugReport {
  file_name: string;
  text: string;
}

/** The doctor's report and the answer log, as one redacted text. `secrets`: every key and token ISO Desk holds. */
export function bugReport(report: DoctorReport, notes: AnswerNote[], secrets: Iterable<string | null | undefined>): BugReport {
  const out = [doctorText(quieted(report)), '', `Unexpected answers (newest first; the log keeps the last 200)`];
  if (!notes.length) out.push('  none');
  for (const n of notes) {
    out.push(
      `- ${n.action} at ${n.host}, seen ${n.count} ${n.count === 1 ? 'time' : 'times'}, ${utcText(n.first_at)} to ${utcText(n.last_at)} (ISO Desk ${n.version})`,
    );
    for (const f of n.findings) out.push(`    ${f.kind} [${f.decision}]: ${f.point}`);
    out.push(`    shape: ${n.shape}`);
  }
  const stamp = new Date(report.at).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return { file_name: `isodesk-report-${stamp}.txt`, text: scrub(`${out.join('\n')}\n`, [...secrets]) };
}

/** HOSTKEY's own words in a report (error messages, hosts' problems) with long numbers masked. */
function quieted(report: DoctorReport): DoctorReport {
  const q = (text: string) => text.replace(/\d{4,}/g, '[number]');
  return {
    ...report,
    steps: report.steps.map((s) => ({
      ...s,
      summary: s.outcome === 'failed' ? q(s.summary) : s.summary,
      error: s.error ? { ...s.error, message: q(s.error.message), hint: s.error.hint === null ? null : q(s.error.hint) } : null,
    })),
    hosts: report.hosts.map((h) => ({ ...h, problem: h.problem === null ? null : q(h.problem) })),
  };
}

const EMAIL = /[^\s@"'<>()[\]]+@[^\s@"'<>()[\]]+\.[^\s@"'<>()[\]]+/g;
const URL_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()]+/gi;
/** Long runs of letters and digits mixed: the look of keys, tokens and one-time passwords. */
const TOKEN_LIKE = /\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}\b/g;

export function scrub(text: string, secrets: (string | null | undefined)[]): string {
  return redact(text, secrets).replace(URL_TEXT, '[url]').replace(EMAIL, '[email]').replace(TOKEN_LIKE, '[redacted]');
}

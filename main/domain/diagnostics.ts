/**
 * What ISO Desk finds out about the live HOSTKEY API: the known hosts, the points where an answer
 * differed from what the docs led it to expect, the bounded log of such answers, and the doctor's
 * report. Pure data shared by the services, the CLI and the renderer. Nothing here ever holds a
 * value from an answer: findings name fields and kinds, shapes name keys and value types.
 */
import * as z from 'zod';
import { ErrorInfo, Profile } from './models.js';

/** One HOSTKEY API host the user can pick by name (main/api/hosts.ts). */
export const KnownHost = z.object({
  id: z.string(),
  label: z.string(),
  url: z.string(),
  /** The known host sign-in tries once when this one cannot be reached at all; null: none. */
  fallback: z.string().nullable(),
});
export type KnownHost = z.output<typeof KnownHost>;

/**
 * fallback: the answer used a documented alternative (string ids, nested login, another list field);
 * missing: a documented optional field was absent; unknown_field / unknown_status: something the
 * docs never mention; unexpected: anything else ISO Desk had to work around.
 */
export const FindingKind = z.enum(['fallback', 'missing', 'unknown_field', 'unknown_status', 'unexpected']);
export type FindingKind = z.output<typeof FindingKind>;

/** A finding that only means "ISO Desk used a documented alternative". */
export function isFallback(kind: FindingKind): boolean {
  return kind === 'fallback' || kind === 'missing';
}

export const Finding = z.object({
  kind: FindingKind,
  /** The open decision it bears on (main/api/open-decisions.ts). */
  decision: z.string(),
  /** In plain words, naming fields, never values. */
  point: z.string(),
});
export type Finding = z.output<typeof Finding>;

/** One entry of the unexpected-answer log: identical answers are counted, not repeated. */
export const AnswerNote = z.object({
  action: z.string(),
  /** The API host (no scheme, no path). */
  host: z.string(),
  findings: z.array(Finding),
  /** The answer's keys and value types, e.g. `{result: string, data: [{id: string}]}`. */
  shape: z.string(),
  count: z.number().int().positive(),
  first_at: z.number(),
  last_at: z.number(),
  /** The ISO Desk version that saw it last. */
  version: z.string(),
});
export type AnswerNote = z.output<typeof AnswerNote>;

export const StepOutcome = z.enum(['ok', 'fell_back', 'unexpected', 'failed', 'skipped']);
export type StepOutcome = z.output<typeof StepOutcome>;

/** One read-only call of the doctor. */
export const DoctorStep = z.object({
  id: z.string(),
  /** e.g. "auth.php info". */
  title: z.string(),
  /** Host name the call went to; null when it was not sent. */
  host: z.string().nullable(),
  ms: z.number().nullable(),
  outcome: StepOutcome,
  /** What was found, in plain words ("5 servers", "skipped: no server"). */
  summary: z.string(),
  findings: z.array(Finding),
  error: ErrorInfo.nullable(),
});
export type DoctorStep = z.output<typeof DoctorStep>;

/** Whether a known host answers at all (a token-less auth.php info, which HOSTKEY refuses). */
export const HostProbe = z.object({
  id: z.string(),
  label: z.string(),
  host: z.string(),
  answered: z.boolean(),
  ms: z.number(),
  /** Why it did not answer, or what it answered when that was not HOSTKEY's refusal. */
  problem: z.string().nullable(),
});
export type HostProbe = z.output<typeof HostProbe>;

/**
 * as_expected: answers matched the decision; fell_back: they used a documented alternative it
 * handles; unexpected: they showed something it does not know; untested: nothing has shown it
 * either way yet; read_only: the doctor cannot test it without changing something.
 */
export const DecisionState = z.enum(['as_expected', 'fell_back', 'unexpected', 'untested', 'read_only']);
export type DecisionState = z.output<typeof DecisionState>;

export const DecisionCheck = z.object({
  id: z.string(),
  question: z.string(),
  /** What ISO Desk does today. */
  decision: z.string(),
  /** The file and name to change when HOSTKEY says otherwise. */
  where: z.string(),
  /** What the doctor checks about it. */
  doctor_checks: z.string(),
  state: DecisionState,
  /** What this check and the answer log showed, in plain words. */
  evidence: z.array(z.string()),
  /** How the user can help settle it, when the doctor cannot. */
  help: z.string().nullable(),
});
export type DecisionCheck = z.output<typeof DecisionCheck>;

export const DoctorReport = z.object({
  version: z.string(),
  /** When the check ran (ms since the epoch). */
  at: z.number(),
  profile: z.string().nullable(),
  /** The host of the active profile, with its name when it is a known host. */
  host: z.string().nullable(),
  host_label: z.string().nullable(),
  auth: z.enum(['key', 'token']).nullable(),
  steps: z.array(DoctorStep),
  hosts: z.array(HostProbe),
  decisions: z.array(DecisionCheck),
  /** Entries of the unexpected-answer log in the data folder. */
  logged: z.number(),
});
export type DoctorReport = z.output<typeof DoctorReport>;

/** What sign-in reports besides the profile: which host answered, and the one it fell back from. */
export const SignedIn = Profile.extend({
  answered_by: z.object({
    url: z.string(),
    label: z.string(),
    fell_back_from: z.object({ url: z.string(), label: z.string(), problem: z.string() }).nullable(),
  }),
});
export type SignedIn = z.output<typeof SignedIn>;

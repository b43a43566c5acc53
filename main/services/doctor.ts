/**
 * `isodesk doctor` and Help → Check connection: with the active profile, only read-only calls
 * (auth.php info, eq.php list and show for one server, list_iso, uploaded, history of one image),
 * each reported with its host, its time, whether the answer matched what ISO Desk expects and
 * every fallback taken; which known hosts answer at all; and where each open decision stands
 * (main/api/open-decisions.ts), with what the answer log in the data folder has seen.
 * Nothing here changes anything at HOSTKEY; a token is renewed only when it has expired, as any read does.
 */
import { AppError } from '../domain/errors.js';
import { toErrorInfo } from '../domain/error-info.js';
import type { IsoImage } from '../domain/models.js';
import {
  isFallback,
  type AnswerNote,
  type DecisionCheck,
  type DecisionState,
  type DoctorReport,
  type DoctorStep,
  type Finding,
  type HostProbe,
  type KnownHost,
} from '../domain/diagnostics.js';
import type { Cache } from '../cache/index.js';
import type { SecretStore } from '../session/secrets.js';
import type { Clock } from '../api/clock.js';
import type { AnswerObserver } from '../api/answers.js';
import type { AccountInfo, HostkeyClient } from '../api/client.js';
import { neverReached, Transport as ApiTransport, type Transport } from '../api/transport.js';
import { MODULE_PATHS } from '../api/fields.js';
import { describeHost, knownHostAt } from '../api/hosts.js';
import { OPEN_DECISIONS, type OpenDecision } from '../api/open-decisions.js';
import { capabilitiesOf, hostName, type SessionService } from './session.js';
import { bugReport, type BugReport } from './doctor-report.js';

export interface DoctorDeps {
  session: SessionService;
  cache: Cache;
  secrets: SecretStore;
  clock: Clock;
  version: string;
  userAgent: string;
  /** How hosts are asked whether they answer at all; by default probeTransport(). */
  probeTransport?: Transport | undefined;
}

/** Host probes: one try, a short wait, and no say in whether the app is online. */
export function probeTransport(userAgent: string, clock: Clock): Transport {
  return new ApiTransport({ userAgent, clock, timeoutMs: PROBE_TIMEOUT_MS, attempts: 1 });
}
const PROBE_TIMEOUT_MS = 15_000;

/** Which steps, when they succeed, test each decision (the rest are tested by the host probes or never). */
const TESTED_BY: Readonly<Record<string, readonly string[]>> = {
  'account-host': ['token'],
  'envelope-fields': ['info', 'servers', 'server', 'catalog', 'uploads', 'history'],
  'id-types': ['info', 'servers', 'server', 'catalog', 'uploads', 'history'],
  'list-fields': ['catalog', 'uploads', 'history'],
  'entry-fields': ['servers', 'catalog', 'uploads', 'history'],
  'server-list': ['servers'],
  'server-show': ['server'],
  'upload-statuses': ['uploads'],
  capabilities: ['info'],
  'token-lifetime': ['info'],
};
/** Evidence lines from the answer log per decision: enough to point at the problem, not a dump. */
const LOGGED_PER_DECISION = 3;

interface Seen {
  action: string;
  findings: Finding[];
}

export class DoctorService {
  private readonly probes: Transport;

  constructor(private readonly deps: DoctorDeps) {
    this.probes = deps.probeTransport ?? probeTransport(deps.userAgent, deps.clock);
  }

  /**
   * The file for a bug report: the report and the answer log, with every API key and token any
   * profile holds masked (read here, so they never leave main on their own).
   */
  async bugReport(report: DoctorReport): Promise<BugReport> {
    const held = await Promise.all(this.deps.cache.profiles.list().map((p) => this.deps.secrets.get(p.name)));
    return bugReport(
      report,
      this.logged(),
      held.flatMap((s) => [s?.api_key, s?.token]),
    );
  }

  async run(): Promise<DoctorReport> {
    const { session, clock } = this.deps;
    if (session.offline)
      throw new AppError('offline', 'ISO Desk is in offline mode: the connection check needs the network.', { hint: 'Run it without --offline.' });
    const at = clock.now();
    const steps: DoctorStep[] = [];
    const seen: Seen[] = [];
    const observe: AnswerObserver = (report) => seen.push({ action: report.action, findings: report.findings });
    const evidence = new Map<string, string[]>();
    const note = (decision: string, line: string) => evidence.set(decision, [...(evidence.get(decision) ?? []), line]);

    let profileName: string | null = null;
    let host: string | null = null;
    let auth: 'key' | 'token' | null = null;
    let client: HostkeyClient | null = null;
    try {
      const observed = await session.observedClient(observe);
      client = observed.client;
      profileName = observed.profile.name;
      host = client.baseUrl;
      const secrets = await this.deps.secrets.get(observed.profile.name);
      auth = secrets?.api_key ? 'key' : 'token';
      steps.push(tokenStep(auth, secrets?.token_expire ?? null, clock.now()));
      const known = knownHostAt(host, session.hosts);
      note('account-host', known ? `The profile uses ${known.label}.` : `The profile uses ${hostName(host)}, which is not one of the known hosts.`);
    } catch (err) {
      steps.push({ ...skeleton('token', 'Sign-in'), outcome: 'failed', summary: 'Not signed in: nothing can be checked at HOSTKEY.', error: toErrorInfo(err) });
    }

    if (client) {
      const c = client;
      const run = <T>(id: string, title: string, actions: string[], work: () => Promise<T>, summarize: (value: T) => string) =>
        this.step(steps, seen, { id, title, actions, host: () => hostName(c.baseUrl) }, work, summarize);
      const info = await run(
        'info',
        'auth.php info',
        ['info'],
        () => c.info(),
        (i) => describeInfo(i, note),
      );
      if (info && info.token_expire === null) note('token-lifetime', 'auth.php info gave no token_expire: the token is renewed when HOSTKEY refuses it.');
      const entries = await run(
        'servers',
        'eq.php list',
        ['list'],
        () => c.serverList(),
        (list) => `${count(list.length, 'server')}.`,
      );
      const first = entries?.[0];
      if (first) {
        await run(
          'server',
          `eq.php show (server ${first.id})`,
          ['show'],
          () => c.showServer(first),
          (s) => `State ${s.state}${s.hostname ? ', hostname found' : ', no hostname'}${s.main_ip ? ', main IP found' : ''}.`,
        );
      } else steps.push({ ...skeleton('server', 'eq.php show'), summary: entries ? 'Skipped: the account lists no server.' : 'Skipped: eq.php list failed.' });
      const catalog = first
        ? await run(
            'catalog',
            `iso.php list_iso (server ${first.id})`,
            ['list_iso'],
            () => c.listIso(first.id),
            (l) => `${count(l.length, 'ISO image')}.`,
          )
        : null;
      if (!first) steps.push({ ...skeleton('catalog', 'iso.php list_iso'), summary: 'Skipped: list_iso needs a server.' });
      // Employees must name whose uploads to list: their own email is the one ISO Desk knows.
      const profile = session.active();
      const caps = capabilitiesOf(profile);
      const email = caps.uploadedByEmail && !caps.add ? (profile.email ?? undefined) : undefined;
      const uploads = await run(
        'uploads',
        'iso.php uploaded',
        ['uploaded'],
        () => c.uploaded(email),
        (l) => `${count(l.length, 'uploaded image')}.`,
      );
      const image = pickImage(uploads, catalog);
      if (image) {
        await run(
          'history',
          `iso.php history (ISO ${image.id})`,
          ['history'],
          () => c.history(image.id),
          (h) => `${count(h.length, 'history entry', 'history entries')}.`,
        );
      } else steps.push({ ...skeleton('history', 'iso.php history'), summary: 'Skipped: no ISO image to read the history of.' });
      // A renewal during the check (the token had expired) belongs to the sign-in step.
      const renewals = seen.filter((s) => s.action === 'login');
      const tokenStep = steps.find((s) => s.id === 'token');
      if (tokenStep && renewals.length) {
        tokenStep.findings.push(...unique(renewals.flatMap((s) => s.findings)));
        tokenStep.outcome = outcomeOf(tokenStep.findings);
      }
      host = c.baseUrl;
    }

    const hosts = await this.probeHosts(host);
    for (const probe of hosts) {
      note(
        'hosts',
        probe.answered
          ? `${probe.label} answered in ${probe.ms} ms${probe.problem ? `, but ${probe.problem}` : ''}.`
          : `${probe.label} did not answer: ${probe.problem ?? 'no reason given'}`,
      );
    }
    const notes = this.logged();
    return {
      version: this.deps.version,
      at,
      profile: profileName,
      host: host ? hostName(host) : null,
      host_label: host ? (knownHostAt(host, session.hosts)?.label ?? null) : null,
      auth,
      steps,
      hosts,
      decisions: OPEN_DECISIONS.map((d) => decide(d, steps, hosts, notes, evidence.get(d.id) ?? [])),
      logged: notes.length,
    };
  }

  /** The answer log, newest first; unreadable (a read-only or damaged cache) reads as empty. */
  logged(): AnswerNote[] {
    try {
      return this.deps.cache.answers.list();
    } catch {
      return [];
    }
  }

  private async step<T>(
    steps: DoctorStep[],
    seen: Seen[],
    s: { id: string; title: string; actions: string[]; host: () => string },
    work: () => Promise<T>,
    summarize: (value: T) => string,
  ): Promise<T | null> {
    const from = seen.length;
    const started = this.deps.clock.now();
    const findingsSince = () =>
      unique(
        seen
          .slice(from)
          .filter((x) => s.actions.includes(x.action))
          .flatMap((x) => x.findings),
      );
    try {
      const value = await work();
      const findings = findingsSince();
      steps.push({
        id: s.id,
        title: s.title,
        host: s.host(),
        ms: this.deps.clock.now() - started,
        outcome: outcomeOf(findings),
        summary: summarize(value),
        findings,
        error: null,
      });
      return value;
    } catch (err) {
      const info = toErrorInfo(err);
      steps.push({
        id: s.id,
        title: s.title,
        host: s.host(),
        ms: this.deps.clock.now() - started,
        outcome: 'failed',
        summary: info.message,
        findings: findingsSince(),
        error: info,
      });
      return null;
    }
  }

  /** Which hosts answer at all: the pinned address when there is one, else every known host and the profile's own. */
  private async probeHosts(profileHost: string | null): Promise<HostProbe[]> {
    const { session } = this.deps;
    const pinned = session.pinnedApiUrl;
    const targets: KnownHost[] = pinned ? [{ id: 'pinned', label: describeHost(pinned, session.hosts), url: pinned, fallback: null }] : [...session.hosts];
    if (profileHost && !targets.some((t) => new URL(t.url).origin === new URL(profileHost).origin)) {
      targets.push({ id: 'profile', label: describeHost(profileHost, session.hosts), url: profileHost, fallback: null });
    }
    return Promise.all(targets.map((t) => this.probe(t)));
  }

  private async probe(target: KnownHost): Promise<HostProbe> {
    const started = this.deps.clock.now();
    const done = (answered: boolean, problem: string | null): HostProbe => ({
      id: target.id,
      label: target.label,
      host: hostName(target.url),
      answered,
      ms: this.deps.clock.now() - started,
      problem,
    });
    try {
      const base = target.url.endsWith('/') ? target.url : `${target.url}/`;
      await this.probes.post(new URL(MODULE_PATHS.auth.slice(1), base).href, { action: 'info' }, []);
      return done(true, 'it accepted auth.php info without a token');
    } catch (err) {
      if (neverReached(err) || (err instanceof AppError && err.kind === 'transient' && err.code === null)) return done(false, (err as AppError).message);
      // HOSTKEY refuses a request without a token: that refusal is the expected answer.
      if (err instanceof AppError && err.kind === 'auth') return done(true, null);
      return done(true, `its answer was not HOSTKEY's refusal (${err instanceof AppError ? err.message : 'unreadable'})`);
    }
  }
}

function skeleton(id: string, title: string): DoctorStep {
  return { id, title, host: null, ms: null, outcome: 'skipped', summary: '', findings: [], error: null };
}

function tokenStep(auth: 'key' | 'token', expire: number | null, now: number): DoctorStep {
  const left = expire === null ? null : Math.round((expire * 1000 - now) / 60_000);
  const renews = auth === 'key' ? 'ISO Desk renews it with the API key' : 'a pasted token cannot be renewed';
  const state =
    left === null ? `Token lifetime unknown; ${renews}.` : left > 0 ? `Token valid for ${left} more minutes; ${renews}.` : `Token expired; ${renews}.`;
  const failed = auth === 'token' && left !== null && left <= 0;
  return {
    ...skeleton('token', 'Sign-in'),
    outcome: failed ? 'failed' : 'ok',
    summary: `Signed in with ${auth === 'key' ? 'an API key' : 'a token'}. ${state}`,
  };
}

function describeInfo(info: AccountInfo, note: (decision: string, line: string) => void): string {
  const spelling = permissionSpelling(info.permissions);
  note(
    'capabilities',
    `Role ${info.role ?? info.role_name ?? 'not given'}; ${count(info.permissions.length, 'permission')}${spelling ? `, spelled ${spelling}` : ''}.`,
  );
  return `Role ${info.role ?? info.role_name ?? 'not given'}, ${count(info.permissions.length, 'permission')}, ${count(info.servers.length, 'server')}${info.token_expire === null ? ', no token_expire' : ''}.`;
}

/** How permission names are written (module_action, module/action, module.action), never the names. */
function permissionSpelling(permissions: string[]): string | null {
  const forms = new Map<string, number>();
  for (const p of permissions) {
    const form = /^[a-z]+_[a-z_]+$/i.test(p)
      ? 'module_action'
      : /^[a-z]+\/[a-z_]+$/i.test(p)
        ? 'module/action'
        : /^[a-z]+\.[a-z_]+$/i.test(p)
          ? 'module.action'
          : 'other';
    forms.set(form, (forms.get(form) ?? 0) + 1);
  }
  return forms.size ? [...forms].map(([form, n]) => `${form} (${n})`).join(', ') : null;
}

function pickImage(uploads: IsoImage[] | null, catalog: IsoImage[] | null): IsoImage | undefined {
  return uploads?.[0] ?? catalog?.[0];
}

function outcomeOf(findings: Finding[]): DoctorStep['outcome'] {
  if (findings.some((f) => !isFallback(f.kind))) return 'unexpected';
  return findings.length ? 'fell_back' : 'ok';
}

function unique(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const id = `${f.kind} ${f.decision} ${f.point}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Where a decision stands after this check, with what this check and the answer log showed. */
function decide(d: OpenDecision, steps: DoctorStep[], hosts: HostProbe[], notes: AnswerNote[], extra: string[]): DecisionCheck {
  const now = steps.flatMap((s) => s.findings.filter((f) => f.decision === d.id).map((f) => ({ f, action: s.title })));
  const points = new Set(now.map((x) => x.f.point));
  const logged = notes.flatMap((n) => n.findings.filter((f) => f.decision === d.id).map((f) => ({ f, n })));
  // What this check saw is also in the log: the log adds only what it saw before.
  const earlier = logged.filter((x) => !points.has(x.f.point));
  const kinds = [...now.map((x) => x.f.kind), ...logged.map((x) => x.f.kind)];
  const lines = [
    ...extra,
    ...now.map((x) => `This check, ${x.action}: ${x.f.point}.`),
    ...earlier.slice(0, LOGGED_PER_DECISION).map((x) => `Answer log, ${x.n.action} at ${x.n.host}: ${x.f.point} (seen ${count(x.n.count, 'time')}).`),
  ];
  let state: DecisionState;
  if (kinds.some((k) => !isFallback(k))) state = 'unexpected';
  else if (kinds.length) state = 'fell_back';
  else if (d.readOnly) state = 'read_only';
  else state = tested(d.id, steps, hosts) ? 'as_expected' : 'untested';
  if (d.id === 'hosts' && state === 'as_expected' && hosts.some((h) => h.answered && h.problem)) state = 'unexpected';
  return { id: d.id, question: d.question, decision: d.decision, where: d.where, doctor_checks: d.doctorChecks, state, evidence: lines, help: d.help };
}

function tested(id: string, steps: DoctorStep[], hosts: HostProbe[]): boolean {
  if (id === 'hosts') return hosts.some((h) => h.answered);
  if (id === 'login-shape') return steps.some((s) => s.id === 'token' && s.findings.length > 0);
  const by = TESTED_BY[id] ?? [];
  return steps.some((s) => by.includes(s.id) && (s.outcome === 'ok' || s.outcome === 'fell_back' || s.outcome === 'unexpected'));
}

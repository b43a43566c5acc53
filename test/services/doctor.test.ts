/**
 * The connection check end to end, over real HTTP to the local HOSTKEY API: in its documented
 * answer style and in its alternatives style (string ids, nested login, bare server ids, unknown
 * fields and statuses), where the check must say what fell back and what was unexpected. It sends
 * only read-only calls, and it keeps going when one of them fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalApi, Module } from '../../main/local-api/server.js';
import type { DoctorReport, DoctorStep } from '../../main/domain/diagnostics.js';
import { KNOWN_HOSTS } from '../../main/api/hosts.js';
import { localApi, startCore, type Core } from './harness.js';

let opened: { api: LocalApi; core: Core }[] = [];
afterEach(async () => {
  await Promise.all(opened.map(async (o) => Promise.all([o.core.app.close(), o.api.close()])));
  opened = [];
});

/** Every action that changes something at HOSTKEY (the seed, the docs): the check must send none. */
const STATE_CHANGING: [Module, string][] = [
  ['iso', 'add'],
  ['iso', 'del'],
  ['iso', 'delete'],
  ['iso', 'update'],
  ['iso', 'upload'],
  ['iso', 'mount_iso'],
  ['iso', 'unmount_iso'],
  ['auth', 'logout'],
  ['eq', 'update_servers'],
];

async function signedIn(answers: 'documented' | 'alternatives', key: 'client' | 'admin' = 'client') {
  // Uploads stay in their first state for the whole test: the check sees the same statuses every run.
  const api = await localApi({ answers, uploadStepMs: 3_600_000 });
  // The default host is this local API; the other two are a port nobody answers on.
  const hosts = KNOWN_HOSTS.map((h) => ({ ...h, url: h.id === 'api' ? api.url : 'http://127.0.0.1:9' }));
  const core = await startCore({ knownHosts: hosts, trackTasks: false });
  opened.push({ api, core });
  await core.call('session/signIn', { profile: 'work', base_url: api.url, api_key: api.keys[key] });
  return { api, core };
}

const step = (report: DoctorReport, id: string): DoctorStep => {
  const found = report.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
};
const points = (s: DoctorStep) => s.findings.map((f) => f.point);

describe('the connection check', () => {
  it('runs the read-only calls, each with its host and time, and changes nothing', async () => {
    const { api, core } = await signedIn('documented');
    const before = STATE_CHANGING.map(([m, a]) => api.requestCount(m, a));
    const logins = api.requestCount('auth', 'login');
    const report = await core.call('doctor/run', {});
    expect(STATE_CHANGING.map(([m, a]) => api.requestCount(m, a))).toEqual(before);
    // The token is fresh: no sign-in just to look.
    expect(api.requestCount('auth', 'login')).toBe(logins);
    expect(report.steps.map((s) => s.id)).toEqual(['token', 'info', 'servers', 'server', 'catalog', 'uploads', 'history']);
    const host = new URL(api.url).host;
    for (const s of report.steps.slice(1)) {
      expect(s).toMatchObject({ host, outcome: expect.stringMatching(/^(ok|fell_back)$/), error: null });
      expect(s.ms).toBeGreaterThanOrEqual(0);
    }
    expect(step(report, 'catalog')).toMatchObject({ outcome: 'ok', findings: [] });
    expect(step(report, 'history').summary).toMatch(/^\d+ history entr(y|ies)\.$/);
    expect(report).toMatchObject({ profile: 'work', host, host_label: 'HOSTKEY — api.hostkey.com', auth: 'key' });
    expect(report.hosts).toEqual([
      expect.objectContaining({ id: 'api', answered: true, problem: null }),
      expect.objectContaining({ id: 'invapi', answered: false, problem: expect.stringMatching(/refused/) }),
      expect.objectContaining({ id: 'invapi-ru', answered: false }),
    ]);
  });

  it('says where the alternatives-style answers fell back and what was unexpected', async () => {
    const { core } = await signedIn('alternatives');
    const report = await core.call('doctor/run', {});
    expect(points(step(report, 'info'))).toEqual(expect.arrayContaining(['result.customer_id as text, not a number', 'unknown field "request_id"']));
    expect(step(report, 'servers').findings).toContainEqual({
      kind: 'fallback',
      decision: 'server-list',
      point: 'servers listed as bare ids: hostname, state and location come from show',
    });
    expect(points(step(report, 'server'))).toEqual(
      expect.arrayContaining(['hostname taken from the "server_name" tag', 'no IP marked main_ip = 1: the first one is shown']),
    );
    expect(step(report, 'uploads').outcome).toBe('unexpected');
    expect(points(step(report, 'uploads'))).toContain('the list is in "iso_images", not "data"');
    // The demo's upload in progress, under a status word no document lists.
    expect(points(step(report, 'uploads'))).toContain('upload status "Waiting" is not known: shown verbatim and treated as in progress');
    expect(points(step(report, 'catalog'))).toContain('unknown field "iso_images[].checksum_md5"');
    // Every call still answered: fell back is not failed.
    expect(report.steps.every((s) => s.outcome !== 'failed')).toBe(true);
    const decision = (id: string) => report.decisions.find((d) => d.id === id);
    expect(decision('upload-statuses')).toMatchObject({ state: 'unexpected', where: expect.stringContaining('UPLOAD_PENDING_STATUSES') });
    expect(decision('list-fields')?.state).toBe('fell_back');
    // Sign-in was nested: the check did not log in again, but the answer log remembers it.
    expect(decision('login-shape')).toMatchObject({ state: 'fell_back', evidence: [expect.stringMatching(/^Answer log, login at .*nested login/)] });
    expect(decision('task-key')).toMatchObject({ state: 'read_only', help: expect.stringContaining('isodesk doctor --report') });
    expect(decision('pin')).toMatchObject({ state: 'read_only', help: expect.stringContaining('never the PIN') });
    expect(report.logged).toBeGreaterThan(5);
  });

  it('lists every open decision once, each with where to change it and what the check does about it', async () => {
    const { core } = await signedIn('documented');
    const report = await core.call('doctor/run', {});
    const ids = report.decisions.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['hosts', 'task-key', 'upload-statuses', 'capabilities', 'pin', 'login-shape', 'id-types']));
    for (const d of report.decisions) {
      expect(d.where).toMatch(/^main\//);
      expect(d.doctor_checks.length).toBeGreaterThan(20);
    }
    // Every finding names one of them.
    const findings = [...report.steps.flatMap((s) => s.findings)];
    for (const f of findings) expect(ids).toContain(f.decision);
    expect(report.decisions.find((d) => d.id === 'capabilities')?.evidence).toEqual([
      expect.stringMatching(/^Role Customer; \d+ permissions, spelled module\.action/),
    ]);
  });

  it('keeps going when one call fails, and reports HOSTKEY’s own words for it', async () => {
    const { api, core } = await signedIn('documented');
    // Two refusals of eq.php list in a row (it is a read: retried once after a 503, then reported).
    api.faults.serverErrorNext(3, 503);
    const report = await core.call('doctor/run', {});
    expect(step(report, 'info').outcome).toBe('failed');
    expect(step(report, 'info').error).toMatchObject({ kind: 'transient', message: expect.stringMatching(/503/) });
    expect(step(report, 'servers').outcome).not.toBe('failed');
    expect(step(report, 'uploads').outcome).not.toBe('failed');
  });

  it('checks the hosts even before sign-in, and says that nothing else could be checked', async () => {
    const api = await localApi();
    const core = await startCore({
      knownHosts: KNOWN_HOSTS.map((h) => ({ ...h, url: h.id === 'invapi' ? api.url : 'http://127.0.0.1:9' })),
      trackTasks: false,
    });
    opened.push({ api, core });
    const report = await core.call('doctor/run', {});
    expect(report.profile).toBeNull();
    expect(report.steps).toEqual([expect.objectContaining({ id: 'token', outcome: 'failed', error: expect.objectContaining({ kind: 'auth' }) })]);
    expect(report.hosts.find((h) => h.id === 'invapi')).toMatchObject({ answered: true, problem: null });
    expect(report.hosts.find((h) => h.id === 'api')).toMatchObject({ answered: false });
    expect(report.decisions.find((d) => d.id === 'hosts')?.evidence).toContain(`HOSTKEY — invapi.hostkey.com answered in ${report.hosts[1]!.ms} ms.`);
  });

  it('writes the bug report with the key and token of every profile masked, whatever the report it is given holds', async () => {
    const { api, core } = await signedIn('documented');
    await core.call('session/signIn', { profile: 'admin', base_url: api.url, api_key: api.keys.admin });
    await core.call('session/switch', { profile: 'work' });
    const held = await Promise.all(['work', 'admin'].map((p) => core.secrets.get(p)));
    const secrets = held.flatMap((s) => [s?.api_key, s?.token]).filter((s): s is string => !!s);
    expect(secrets).toHaveLength(4);
    const report = await core.call('doctor/run', {});
    // A report comes back from the renderer: the service must not trust it to be clean.
    const tainted = { ...report, steps: report.steps.map((s) => ({ ...s, summary: `${s.summary} ${secrets.join(' ')}` })) };
    const { text } = await core.call('doctor/bugReport', { report: tainted });
    expect(text).toContain('auth.php info');
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

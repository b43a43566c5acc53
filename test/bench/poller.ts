/**
 * The poller against HOSTKEY's patience, for `npm run bench`: 200 mounts tracked at once (the
 * local API keeps them "Not ready"), the app's default poll timing and shared budget, and the
 * task checks the local API counted over the first 10 s of tracking (3 s and 20 tasks with --quick),
 * second by second. The steady rate's baseline is the budget's bound (2 requests/s), so its ratio
 * is measured ÷ bound; the first seconds may add the burst (4) once.
 */
import { createApp } from '../../main/app.js';
import { MemorySecretStore } from '../../main/session/secrets.js';
import { startLocalApi } from '../../main/local-api/server.js';
import { tempDir } from '../services/harness.js';
import { defineBench } from './types.js';

const TASKS = 200;
const WINDOW_S = 10;
const RATE_BOUND = 2;
const BURST = 4;

interface Run {
  /** Checks counted in each second of tracking. */
  perSecond: number[];
  /** Checks per second from the end of second 2 to the end of the window (the burst spent). */
  steady: number;
}

async function run(tasks: number, windowS: number): Promise<Run> {
  const api = await startLocalApi({ quiet: true, taskDelayMs: 3_600_000 });
  const app = await createApp({ dataDir: tempDir('isodesk-bench-poller-'), secrets: new MemorySecretStore() });
  try {
    const ok = await app.dispatch('session/signIn', { profile: 'bench', base_url: api.url, api_key: api.keys.client });
    if (!ok.ok) throw new Error(ok.error.message);
    for (let i = 0; i < tasks; i++) {
      const mounted = await app.dispatch('iso/mount', { server_id: [40211, 40212, 40215][i % 3], iso_name: 'ubuntu-24.04.1-live-server-amd64.iso' });
      if (!mounted.ok) throw new Error(mounted.error.message);
    }
    const checks = () => api.taskReport().reduce((sum, r) => sum + r.checks, 0);
    app.trackTasks();
    const perSecond: number[] = [];
    const at: Array<{ ms: number; checks: number }> = [{ ms: performance.now(), checks: checks() }];
    for (let s = 0; s < windowS; s++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      at.push({ ms: performance.now(), checks: checks() });
      perSecond.push(at[s + 1]!.checks - at[s]!.checks);
    }
    const [from, to] = [at[Math.min(2, windowS - 1)]!, at[windowS]!];
    return { perSecond, steady: ((to.checks - from.checks) * 1000) / (to.ms - from.ms) };
  } finally {
    await app.close();
    await api.close();
  }
}

export const pollerBench = defineBench({
  name: 'poller',
  figures: {
    steady: {
      label: `requests/s with ${TASKS} tracked tasks, steady`,
      baseline: `the shared budget's bound, ${RATE_BOUND}/s`,
      target: { ratio: 1 },
    },
    first: { label: `requests in the first ${WINDOW_S} s of tracking ${TASKS} tasks`, target: { value: BURST + RATE_BOUND * WINDOW_S } },
    busiest: { label: `busiest second with ${TASKS} tracked tasks (requests)`, target: { value: BURST + RATE_BOUND } },
  },
  async run({ quick }) {
    const r = await run(quick ? 20 : TASKS, quick ? 3 : WINDOW_S);
    return {
      steady: { value: r.steady, baseline: RATE_BOUND },
      first: { value: r.perSecond.reduce((a, b) => a + b, 0) },
      busiest: { value: Math.max(...r.perSecond) },
    };
  },
});

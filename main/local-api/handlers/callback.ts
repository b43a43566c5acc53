/**
 * eq_callback.php check: "Not ready" while a task runs, then its outcome exactly once; after that
 * (and for keys it never issued, or another customer's) HOSTKEY answers "AsyncKey not found".
 * The token is optional, as HOSTKEY's own clients differ on sending it; when sent it must be valid.
 */
import { ASYNC_KEY_NOT_FOUND, Refusal, type JsonObject } from '../envelopes.js';
import { PARAMS, type ActionIn } from '../spec.js';
import { isStaff } from '../records.js';
import type { TaskRecord } from '../tasks.js';
import { requireSession, type Handler } from './request.js';

/** An eq.php task's answer: `context` is the request plus the location, its `id` a string as in the old examples. */
function eqOutcome(task: TaskRecord, report: NonNullable<TaskRecord['report']>): JsonObject {
  const { ok, scope, debug } = report();
  return {
    result: ok ? 'OK' : 'Error',
    action: 'check',
    scope,
    context: { action: task.action, id: String(task.server.id), location: task.server.location },
    debug,
    key: task.key,
  };
}

function outcome(task: TaskRecord): JsonObject {
  if (task.report) return eqOutcome(task, task.report);
  const { server } = task;
  const mounting = task.action === 'mount_iso';
  const context = { action: task.action, id: server.id, location: server.location, iso: task.isoName };
  const bmc = `BMC ${server.ips[0]?.ip ?? server.id}`;
  if (task.failure !== null) {
    return {
      result: 'Error',
      action: 'check',
      scope: `${mounting ? 'Mount' : 'Unmount'} failed: ${task.failure}`,
      context,
      debug: `${bmc}: virtual media ${mounting ? 'insert' : 'eject'} error: ${task.failure}`,
      key: task.key,
    };
  }
  server.mountedIso = mounting ? task.isoName : null;
  return {
    result: 'OK',
    action: 'check',
    scope: mounting ? `ISO ${task.isoName ?? ''} mounted on server ${server.id}` : `ISO unmounted from server ${server.id}`,
    context,
    debug: mounting ? `${bmc}: virtual media inserted ${task.isoName ?? ''}; boot device set to cdrom` : `${bmc}: virtual media ejected`,
    key: task.key,
  };
}

export const callbackHandlers = {
  check: (request) => {
    const key = request.params.requiredText(PARAMS.check.key);
    const session = request.token === null ? null : requireSession(request);
    const { tasks } = request.world;
    tasks.noteCheck(key);
    const task = tasks.find(key);
    if (!task || (session && !isStaff(session.account) && task.owner !== session.account)) throw new Refusal(ASYNC_KEY_NOT_FOUND);
    if (!tasks.isReady(task)) return { result: 'Not ready', key };
    const answer = outcome(task);
    tasks.forget(task, answer.result === 'OK');
    return answer;
  },
} satisfies Record<ActionIn<'callback'>, Handler>;

/**
 * Every point the HOSTKEY docs leave open, in one list: the question, what ISO Desk does today
 * (read from the constant that decides it, so this list cannot drift from the code), the one place
 * to change when HOSTKEY's answers say otherwise, and what `isodesk doctor` checks about it. A
 * doctor report or an unexpected-answer log entry names a decision by its id, so a report that
 * disagrees points at one line here, and from here at one line of code.
 */
import { KNOWN_HOSTS } from './hosts.js';
import {
  CHECK_FIELDS,
  CONSOLE_URL_FIELD,
  POWER_ACTIONS,
  POWER_WORDS,
  PIN_ACTIONS,
  PIN_FIELD,
  PIN_LOCKED_WORDS,
  PIN_REQUIRED_WORDS,
  PIN_TRIES,
  PIN_WRONG_WORDS,
  TASK_KEY_FIELDS,
  UPLOAD_DONE_STATUSES,
  UPLOAD_FAILED_STATUSES,
  UPLOAD_PENDING_STATUSES,
} from './fields.js';
import { LIST_FIELDS } from './payload.js';

export interface OpenDecision {
  id: string;
  question: string;
  /** What ISO Desk does today. */
  decision: string;
  /** The file and name to change. */
  where: string;
  /** What the doctor checks; for read-only decisions, why it cannot. */
  doctorChecks: string;
  /** The doctor cannot check it without a call that changes something. */
  readOnly: boolean;
  /** How a user can help settle it (read-only decisions). */
  help: string | null;
}

const list = (words: Iterable<string>) => [...words].join(', ');

/**
 * "main/api/fields.ts PIN_ACTIONS, PIN_REQUIRED_WORDS": the constants are passed themselves, so
 * their names come from the code (a rename renames them here) and the import proves they exist.
 */
const at = (file: string, constants: Readonly<Record<string, unknown>>) => `${file} ${list(Object.keys(constants))}`;

export const OPEN_DECISIONS: readonly OpenDecision[] = [
  {
    id: 'hosts',
    question: 'Which host serves the API: api.hostkey.com (current docs) or invapi.hostkey.com (older docs, every official client)?',
    decision: `Sign-in offers ${list(KNOWN_HOSTS.map((h) => h.label))}; the first is the default, and sign-in falls back once to invapi.hostkey.com when it cannot be reached at all.`,
    where: at('main/api/hosts.ts', { KNOWN_HOSTS }),
    doctorChecks:
      'Asks each known host for auth.php info without a token (HOSTKEY refuses it) to see which hosts answer at all, and which host the profile uses.',
    readOnly: false,
    help: null,
  },
  {
    id: 'account-host',
    question: 'Does login name the account’s own host (invapi), and where may ISO Desk follow it?',
    decision: 'Follow it only to hostkey.com or hostkey.ru (or a subdomain), over https, never away from https.',
    where: 'main/api/hosts.ts mayMoveToAccountHost',
    doctorChecks: 'Shows whether the profile’s host is one of the known hosts; the answer log notes every login that named a host.',
    readOnly: false,
    help: null,
  },
  {
    id: 'login-shape',
    question: 'Does login answer the token at the top level or inside "result"?',
    decision: 'Both are read; the top level (the auth.php table) is expected.',
    where: 'main/api/client.ts signIn',
    doctorChecks: 'Login is not repeated just to look; the answer log keeps the shape of every sign-in and renewal.',
    readOnly: false,
    help: null,
  },
  {
    id: 'envelope-fields',
    question: 'Which fields do HOSTKEY’s envelopes carry besides the documented ones?',
    decision: 'Documented fields are read; any other field is ignored and noted.',
    where: 'main/api/answers.ts SPECS',
    doctorChecks: 'Compares every answer of the check with the documented fields.',
    readOnly: false,
    help: null,
  },
  {
    id: 'id-types',
    question: 'Are ids, sizes and flags numbers, or numbers written as text?',
    decision: 'Both are read (digits as text are turned into numbers); numbers are expected.',
    where: 'main/domain/models.ts Id',
    doctorChecks: 'Notes every id, size or flag that came as text in the check’s answers.',
    readOnly: false,
    help: null,
  },
  {
    id: 'list-fields',
    question: 'In which field does each answer carry its list?',
    decision: `uploaded: ${list(LIST_FIELDS.uploaded)} (first found); list_iso: ${list(LIST_FIELDS.list_iso)}; history: ${list(LIST_FIELDS.history)}; eq list: ${list(LIST_FIELDS.list)}.`,
    where: at('main/api/payload.ts', { LIST_FIELDS }),
    doctorChecks: 'Calls list_iso, uploaded and history and notes a list found in the second-choice field.',
    readOnly: false,
    help: null,
  },
  {
    id: 'entry-fields',
    question: 'Which fields do ISO, server and history entries carry?',
    decision: 'The seed’s fields are read; missing optional ones are shown as unknown; others are ignored and noted.',
    where: 'main/domain/models.ts IsoImage, HistoryEntry',
    doctorChecks: 'Compares the entries of list_iso, uploaded, history and eq list with the seed’s fields.',
    readOnly: false,
    help: null,
  },
  {
    id: 'server-list',
    question: 'Does eq.php list give server objects or bare ids?',
    decision: 'Both are read; for bare ids the hostname, state and location come from eq.php show.',
    where: 'main/api/servers.ts ListEntry',
    doctorChecks: 'Calls eq.php list and notes which form came back.',
    readOnly: false,
    help: null,
  },
  {
    id: 'server-show',
    question: 'Where does eq.php show put the hostname and main IP, and which Condition_Component values exist?',
    decision:
      'Hostname from the "hostname" tag, else "server_name"; main IP the one with main_ip = 1, else the first; rent, power_off, presale and TT are known states.',
    where: 'main/api/servers.ts serverFromShow, stateOf',
    doctorChecks: 'Calls eq.php show for one server and notes each fallback and unknown state.',
    readOnly: false,
    help: null,
  },
  {
    id: 'upload-statuses',
    question: 'Which upload statuses exist beyond the documented "Pending"?',
    decision: `In progress: ${list(UPLOAD_PENDING_STATUSES)}; done: ${list(UPLOAD_DONE_STATUSES)}; failed: ${list(UPLOAD_FAILED_STATUSES)}; any other is shown verbatim and treated as in progress.`,
    where: at('main/api/fields.ts', { UPLOAD_PENDING_STATUSES, UPLOAD_DONE_STATUSES, UPLOAD_FAILED_STATUSES }),
    doctorChecks: 'Calls uploaded and notes every status word it does not know.',
    readOnly: false,
    help: null,
  },
  {
    id: 'capabilities',
    question: 'What may each role do, and how are permissions spelled (eq_list, eq/list…)?',
    decision:
      'Roles containing "admin" may add and delete any ISO; staff roles (admin, staff, employee, manager, support) name the customer; HOSTKEY’s refusal is always shown.',
    where: 'main/services/session.ts capabilitiesOf',
    doctorChecks: 'Calls auth.php info and reports the role and how the permission names are spelled (never the list itself).',
    readOnly: false,
    help: null,
  },
  {
    id: 'token-lifetime',
    question: 'How long does a token live (docs say 2 h and 3 h), and does the answer say (token_expire)?',
    decision: 'token_expire is used when present, the session is renewed two minutes before it; without it, when HOSTKEY refuses the token.',
    where: 'main/api/client.ts TokenExpire, RENEW_BEFORE_MS',
    doctorChecks: 'Reports whether auth.php info carries token_expire and how long the token has left.',
    readOnly: false,
    help: null,
  },
  {
    id: 'task-key',
    question: 'In which field do mount_iso and unmount_iso answer their task key?',
    decision: `The first of ${list(TASK_KEY_FIELDS)} that holds one (top level, then "data").`,
    where: at('main/api/fields.ts', { TASK_KEY_FIELDS }),
    doctorChecks:
      'Cannot be checked read-only: only a mount or unmount answers with a task key. The answer log notes every mount whose key was not in "callback".',
    readOnly: true,
    help: 'Mount any ISO on a server you can spare and unmount it again (isodesk mount, isodesk unmount, or the app), then run "isodesk doctor --report FILE" and attach the file to an issue: it shows which field held the key.',
  },
  {
    id: 'mount-fields',
    question: 'Does mount_iso take the ISO by name in "iso" (the seed) or by "iso_id" / "name" (HOSTKEY’s MCP server)?',
    decision: 'The seed: "id" (server) and "iso" (the ISO’s file name).',
    where: 'main/api/fields.ts isoFields.mount_iso',
    doctorChecks: 'Cannot be checked read-only: only a mount shows it.',
    readOnly: true,
    help: 'If a mount is refused with "invalid argument", run "isodesk doctor --report FILE" and attach it with HOSTKEY’s message.',
  },
  {
    id: 'eq-answers',
    question: `How do eq.php ${list(POWER_ACTIONS)}, boot_dev, novnc and stop_novnc answer: a task key in "callback", and novnc its console address at once or through the task?`,
    decision: `The first of ${list(TASK_KEY_FIELDS)} that holds a key; novnc's address is read from "${CONSOLE_URL_FIELD}" at once, else from its task's result.`,
    where: at('main/api/fields.ts', { TASK_KEY_FIELDS, CONSOLE_URL_FIELD }),
    doctorChecks:
      'Cannot be checked read-only: only a power action, a boot device change or a console answers so. The answer log notes every such answer whose shape differs.',
    readOnly: true,
    help: 'After a power action, Boot from ISO, Back to disk or Console in ISO Desk, run "isodesk doctor --report FILE" and attach it to an issue: it shows the answers\' shapes, never the console address.',
  },
  {
    id: 'check-result',
    question:
      'Which words does eq_callback.php check answer in "result", and what do "scope", "context" and "debug" hold for power, boot device and console tasks?',
    decision: `"Not ready" runs, "OK" ends well, any other word or a failure word in the result ends badly; "${CHECK_FIELDS.scope}" is read as text or an object's message, "${CHECK_FIELDS.context}" ids as numbers or text.`,
    where: at('main/api/fields.ts', { CHECK_FIELDS }),
    doctorChecks:
      'Cannot be checked read-only: only a task has a result to check. The answer log notes every result word, context field or scope type it did not expect.',
    readOnly: true,
    help: 'After any mount, boot or power action, run "isodesk doctor --report FILE" and attach it: it keeps the shape of each task result.',
  },
  {
    id: 'power-words',
    question: 'How does the status check word the power state ("VM is up now", "Chassis Power is on", …)?',
    decision: `Rebooting, on and off are read from the words of "${CHECK_FIELDS.scope}" (${list(Object.keys(POWER_WORDS))}); any other text is shown verbatim as an unknown state.`,
    where: at('main/api/fields.ts', { POWER_WORDS }),
    doctorChecks:
      'Not asked by the check: each power reading is a task of the journal. The answer log notes every status text that names no state ISO Desk knows.',
    readOnly: true,
    help: 'If the server panel shows the power as unknown, run "isodesk power status --server ID" and then "isodesk doctor --report FILE", and attach the file.',
  },
  {
    id: 'pin',
    question: 'Which actions need the account PIN for API-key sessions, and how does HOSTKEY say it is missing?',
    decision: `The PIN is sent as "${PIN_FIELD}" with ${list(PIN_ACTIONS)} (and any action HOSTKEY asked it for) when the user gave one, kept in memory only; it is asked for when HOSTKEY’s refusal says a PIN is required, wrong or locked (the account locks after ${PIN_TRIES} wrong tries).`,
    // Issue #9 puts PIN detection beside the field names.
    where: at('main/api/fields.ts', { PIN_ACTIONS, PIN_REQUIRED_WORDS, PIN_WRONG_WORDS, PIN_LOCKED_WORDS }),
    doctorChecks: 'Cannot be checked read-only: no read asks for a PIN, and checking one would count a wrong attempt (three lock it).',
    readOnly: true,
    help: 'If HOSTKEY ever asks for a PIN, or refuses an action without saying why, run "isodesk doctor --report FILE" right after and attach it: the log keeps the answer’s shape, never the PIN.',
  },
];

export function decisionById(id: string): OpenDecision | undefined {
  return OPEN_DECISIONS.find((d) => d.id === id);
}

/** Signing in and out, who am I, and the list of profiles. */
import { AppError } from '../../domain/errors.js';
import type { Capabilities, Profile } from '../../domain/models.js';
import type { SessionStatus } from '../../ipc/contract.js';
import { DEFAULT_BASE_URL } from '../../api/fields.js';
import type { Command } from '../command.js';
import type { CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { formatExpiry } from '../format.js';
import { usageError } from '../options.js';
import { readSecret, type SecretSource } from '../secret-input.js';
import { shown } from '../../domain/storage-faults.js';
import type { KnownHost } from '../../domain/diagnostics.js';

const DEFAULT_PROFILE = 'default';

/** Where `--key -` and `--token -` read from; index.ts hands in process.stdin. */
export interface LoginInput {
  stdin: SecretSource;
}

export function loginCommand(input: LoginInput): Command {
  return {
    name: 'login',
    summary: 'Sign in with an API key (or a session token) and make the profile active',
    usage: 'isodesk login --key KEY | --token TOKEN [--host NAME | --api-url URL] [--profile NAME]',
    details: [
      'Create the API key in the HOSTKEY control panel. Use "--key -" to read it from standard input (typed unseen on a terminal, or piped from a file), so it does not land in your shell history or the process list.',
      'With a key ISO Desk renews the session by itself; a token works until it expires.',
      `The profile is "${DEFAULT_PROFILE}" unless --profile names another.`,
      `The API host: --host api (HOSTKEY — api.hostkey.com, the default), --host invapi (HOSTKEY — invapi.hostkey.com) or --host invapi-ru (HOSTKEY Russia — invapi.hostkey.ru); or any address with --api-url (or ISODESK_API_URL). When the default host cannot be reached at all (DNS, refused connection, TLS), sign-in tries invapi.hostkey.com once and keeps the host that answered in the profile; an answer, even a refusal, is never retried elsewhere.`,
    ],
    options: [
      { name: 'key', value: 'KEY', help: 'HOSTKEY API key, or "-" to read it from stdin' },
      { name: 'token', value: 'TOKEN', help: 'An existing session token, or "-" to read it from stdin' },
      { name: 'host', value: 'NAME', help: 'A known HOSTKEY host: api (default), invapi or invapi-ru' },
    ],
    ownsProfileFlag: true,
    async run(ctx, { flags }) {
      const key = flags.string('key');
      const token = flags.string('token');
      if ((key === undefined) === (token === undefined)) throw usageError('Give either --key KEY or --token TOKEN.', 'login');
      const { hosts } = await ctx.call('session/status', {});
      const baseUrl = chooseHost(flags.string('host'), ctx.globals.apiUrl, hosts);
      const fromStdin = async (value: string | undefined, label: string) => (value === '-' ? readSecret(input.stdin, ctx.out.stderr, label) : value);
      const profile = await ctx.call(
        'session/signIn',
        {
          profile: ctx.globals.profile ?? DEFAULT_PROFILE,
          base_url: baseUrl,
          api_key: await fromStdin(key, 'API key'),
          token: await fromStdin(token, 'token'),
        },
        { profile: '--profile', base_url: '--api-url', api_key: '--key' },
      );
      ctx.out.result(profile);
      const who = [profile.email, profile.role].filter(Boolean).join(', ');
      const { answered_by: answered } = profile;
      if (answered.fell_back_from) {
        ctx.out.note(
          `${answered.fell_back_from.label} could not be reached (${answered.fell_back_from.problem}) ${answered.label} answered instead; the profile keeps it.`,
        );
      }
      // A custom address is its own name; a known host adds its label.
      const named = answered.label !== new URL(profile.base_url).host ? ` (${answered.label})` : '';
      ctx.out.line(`Signed in to ${profile.base_url}${named}${who ? ` as ${who}` : ''}. Profile "${profile.name}" is active.`);
      // Read after signing in: only writing the key shows whether the keyring took it.
      const { secrets } = await ctx.call('session/status', {});
      ctx.out.note(
        secrets.mode === 'file'
          ? [`Credentials are kept in ${ctx.globals.secretsFile} (readable only by you).`, secrets.note].filter(Boolean).join(' ')
          : (secrets.note ?? secrets.mode),
      );
      return EXIT.ok;
    },
  };
}

/** The profile's API address, with the known host's name when it is one. */
function apiText(url: string, hosts: readonly KnownHost[]): string {
  const known = hosts.find((h) => URL.canParse(h.url) && URL.canParse(url) && new URL(h.url).origin === new URL(url).origin);
  return known ? `${url} (${known.label})` : url;
}

/** The address to sign in at: --host names a known host, --api-url any; the default host otherwise. */
function chooseHost(host: string | undefined, apiUrl: string | undefined, hosts: readonly KnownHost[]): string {
  if (host === undefined) return apiUrl ?? hosts[0]?.url ?? DEFAULT_BASE_URL;
  if (apiUrl !== undefined) throw usageError('Give either --host or --api-url (or ISODESK_API_URL), not both.', 'login');
  const known = hosts.find((h) => h.id === host.trim().toLowerCase());
  if (!known) throw usageError(`Unknown host "${shown(host, 40)}": use ${hosts.map((h) => h.id).join(', ')}, or --api-url URL for another address.`, 'login');
  return known.url;
}

export const logoutCommand: Command = {
  name: 'logout',
  summary: 'Sign out: end the session at HOSTKEY and forget the key and token',
  details: ['Cached lists stay available with --offline. --profile signs out that profile instead of the active one.'],
  options: [],
  ownsProfileFlag: true,
  async run(ctx) {
    const status = await ctx.call('session/status', {});
    const name = ctx.globals.profile ?? status.active;
    if (!name) {
      ctx.out.result(null);
      ctx.out.line('Not signed in.');
      return EXIT.ok;
    }
    ctx.out.result(await ctx.call('session/signOut', { profile: name }, { profile: '--profile' }));
    ctx.out.line(`Signed out of profile "${name}".`);
    return EXIT.ok;
  },
};

const CAPABILITY_WORDS: Record<keyof Capabilities, string> = {
  add: 'add ISOs',
  delete: 'delete any ISO',
  uploadNeedsCustomer: 'upload for a customer (--email, --customer-id)',
  uploadedByEmail: "list a customer's uploads (--email)",
};

function describeCapabilities(caps: Capabilities): string {
  const granted = (Object.keys(CAPABILITY_WORDS) as (keyof Capabilities)[]).filter((k) => caps[k]).map((k) => CAPABILITY_WORDS[k]);
  const base = 'list, mount, unmount, upload and update ISOs, delete your private ISOs';
  return granted.length ? `${base}; ${granted.join('; ')}` : base;
}

function secretStorage(ctx: CommandContext, secrets: SessionStatus['secrets']): string {
  if (secrets.mode === 'file') return [`file ${ctx.globals.secretsFile} (readable only by you)`, secrets.note].filter(Boolean).join('; ');
  return secrets.note ?? secrets.mode;
}

function selectProfile(ctx: CommandContext, status: SessionStatus): Profile {
  const name = ctx.globals.profile ?? status.active;
  if (!name) throw new AppError('auth', 'You are not signed in.', { hint: 'Sign in with "isodesk login --key -".' });
  const profile = status.profiles.find((p) => p.name === name);
  if (!profile)
    throw new AppError('not_found', `There is no profile named "${name}".`, { hint: 'Run "isodesk profiles" to see them, or sign in to create it.' });
  return profile;
}

export const whoamiCommand: Command = {
  name: 'whoami',
  summary: 'Show the profile, role, account and what the role may do',
  details: ['Answers from the cache: no request is sent. --profile shows another profile without switching to it.'],
  options: [],
  ownsProfileFlag: true,
  async run(ctx) {
    const status = await ctx.call('session/status', {});
    const profile = selectProfile(ctx, status);
    ctx.out.result({ profile, active: profile.name === status.active, secrets: status.secrets });
    const fields: [string, string][] = [
      ['Profile', `${profile.name}${profile.name === status.active ? ' (active)' : ''}`],
      ['Signed in', profile.signed_in ? `yes, with ${profile.auth === 'key' ? 'an API key (renews by itself)' : 'a token (cannot be renewed)'}` : 'no'],
      ['Role', profile.role ?? 'unknown'],
      ['Email', profile.email ?? 'unknown'],
      ['Customer ID', profile.customer_id === null ? 'unknown' : String(profile.customer_id)],
      ['API', apiText(profile.base_url, status.hosts)],
      ['Token expires', profile.signed_in ? formatExpiry(profile.token_expire) : '-'],
      ['May', describeCapabilities(profile.capabilities)],
      ['Secrets', secretStorage(ctx, status.secrets)],
    ];
    const width = Math.max(...fields.map(([label]) => label.length)) + 2;
    for (const [label, value] of fields) ctx.out.line(`${`${label}:`.padEnd(width)}${value}`);
    return EXIT.ok;
  },
};

export const profilesCommand: Command = {
  name: 'profiles',
  summary: 'List profiles, or switch the active one ("use NAME") or remove one ("remove NAME")',
  usage: 'isodesk profiles [use NAME | remove NAME]',
  details: ['Switching changes the active profile of the desktop app too: they share one data folder.'],
  args: [
    { name: 'ACTION', help: '"use" or "remove"', optional: true },
    { name: 'NAME', help: 'Profile name', optional: true },
  ],
  options: [],
  async run(ctx, { positionals }) {
    const [action, name] = positionals;
    if (action !== undefined) {
      if (action !== 'use' && action !== 'remove') throw usageError(`Unknown action "${action}": use "use NAME" or "remove NAME".`, 'profiles');
      if (name === undefined) throw usageError(`"profiles ${action}" needs a profile NAME.`, 'profiles');
      if (action === 'use') {
        const profile = await ctx.call('session/switch', { profile: name }, { profile: 'NAME' });
        ctx.out.result(profile);
        ctx.out.line(`Profile "${profile.name}" is now active${profile.signed_in ? '' : ' (signed out: run "isodesk login")'}.`);
      } else {
        ctx.out.result(await ctx.call('session/removeProfile', { profile: name }, { profile: 'NAME' }));
        ctx.out.line(`Removed profile "${name}" and its credentials.`);
      }
      return EXIT.ok;
    }
    const status = await ctx.call('session/status', {});
    ctx.out.result(status.profiles);
    if (!status.profiles.length) {
      ctx.out.line('No profiles yet. Sign in with "isodesk login --key -".');
      return EXIT.ok;
    }
    ctx.out.table(
      [
        { header: '', value: (p: Profile) => (p.name === status.active ? '*' : '') },
        { header: 'PROFILE', value: (p) => p.name },
        { header: 'SIGNED IN', value: (p) => (p.signed_in ? 'yes' : 'no') },
        { header: 'ROLE', value: (p) => p.role ?? '-' },
        { header: 'EMAIL', value: (p) => p.email ?? '-' },
        { header: 'API', value: (p) => p.base_url },
      ],
      status.profiles,
    );
    return EXIT.ok;
  },
};

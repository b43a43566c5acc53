/**
 * Profiles and sign-in: who the user is at which HOSTKEY host, what their role may do, and the
 * API client of each signed-in profile. Secrets go to the SecretStore only; the cache keeps the
 * rest, so a profile's data stays browsable offline and after sign-out.
 *
 * Signed in means "the secret store holds a key or token for the profile", read afresh each time:
 * the store is shared with other ISO Desk processes (the app, the CLI), which may sign in or out.
 */
import { AppError } from '../domain/errors.js';
import type { Capabilities, Profile } from '../domain/models.js';
import type { Cache, StoredProfile } from '../cache/index.js';
import { isSignedIn, type SecretStore, type Secrets } from '../session/secrets.js';
import { HostkeyClient, parseBaseUrl, type AccountInfo } from '../api/client.js';
import type { Clock } from '../api/clock.js';
import type { NetMonitor } from './net.js';
import type { KnownHost, SignedIn } from '../domain/diagnostics.js';
import { KNOWN_HOSTS, describeHost, fallbackFor } from '../api/hosts.js';
import { neverReached, type Transport } from '../api/transport.js';
import type { AnswerObserver } from '../api/answers.js';

export interface SignInRequest {
  profile: string;
  base_url: string;
  api_key?: string | undefined;
  token?: string | undefined;
}

/** A URL's host (name and port), for messages and the answer log. */
export function hostName(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

const ADMIN = /admin/i;
const STAFF = /admin|staff|employee|manager|support/i;

/**
 * The seed's rules (main/domain/permissions.ts): add needs an administrator, administrators delete
 * any image (owners their own), staff name the customer when uploading; update names no role.
 */
export function capabilitiesOf(p: Pick<StoredProfile, 'role' | 'role_type' | 'permissions'>): Capabilities {
  const words = [p.role ?? '', p.role_type ?? '', ...p.permissions];
  const admin = words.some((w) => ADMIN.test(w));
  const staff = admin || words.some((w) => STAFF.test(w));
  return { add: admin, delete: admin, uploadNeedsCustomer: staff, uploadedByEmail: staff };
}

export function toProfile(p: StoredProfile, secrets: Secrets | null): Profile {
  const signedIn = isSignedIn(secrets);
  return {
    name: p.name,
    base_url: p.base_url,
    role: p.role,
    email: p.email,
    customer_id: p.customer_id,
    auth: signedIn ? (secrets.api_key ? 'key' : 'token') : p.auth,
    signed_in: signedIn,
    token_expire: signedIn ? (secrets.token_expire ?? null) : null,
    capabilities: capabilitiesOf(p),
  };
}

export interface SessionDeps {
  cache: Cache;
  secrets: SecretStore;
  transport: Transport;
  clock: Clock;
  net: NetMonitor;
  /** Points every profile at this API (CLI --api-url, ISODESK_API_URL, demos). */
  apiUrl?: string | undefined;
  offline?: boolean | undefined;
  /** Acts as this profile without changing the saved active one (CLI --profile). */
  profile?: string | undefined;
  /** The known hosts; KNOWN_HOSTS unless a test points them at local servers. */
  hosts?: readonly KnownHost[] | undefined;
  /** Told of every answer that differed from what ISO Desk expects (the unexpected-answer log). */
  observe?: AnswerObserver | undefined;
}

interface CachedClient {
  client: HostkeyClient;
  /** The key and token it was built with: when the shared store holds others, it is rebuilt. */
  fingerprint: string;
}

const fingerprintOf = (secrets: Secrets): string => JSON.stringify([secrets.api_key ?? null, secrets.token ?? null]);

export class SessionService {
  private readonly clients = new Map<string, CachedClient>();

  constructor(private readonly deps: SessionDeps) {}

  get offline(): boolean {
    return this.deps.offline === true;
  }

  /** The API address every profile is pointed at, when the app was started with one. */
  get pinnedApiUrl(): string | null {
    return this.deps.apiUrl ?? null;
  }

  activeName(): string | null {
    return this.deps.profile ?? this.deps.cache.profiles.getActive();
  }

  /** The active profile, or an error that tells the user to sign in. */
  active(): StoredProfile {
    if (this.deps.profile !== undefined && !this.deps.cache.profiles.get(this.deps.profile)) {
      throw new AppError('not_found', `There is no profile named "${this.deps.profile}".`, {
        hint: 'Sign in to create it, or list profiles with "isodesk profiles".',
      });
    }
    const name = this.activeName();
    const profile = name ? this.deps.cache.profiles.get(name) : null;
    if (!profile) throw new AppError('auth', 'You are not signed in.', { hint: 'Sign in with an API key from the HOSTKEY control panel.' });
    return profile;
  }

  async list(): Promise<Profile[]> {
    return Promise.all(this.deps.cache.profiles.list().map(async (p) => toProfile(p, await this.deps.secrets.get(p.name))));
  }

  /** The known HOSTKEY hosts sign-in offers by name. */
  get hosts(): readonly KnownHost[] {
    return this.deps.hosts ?? KNOWN_HOSTS;
  }

  /**
   * Signs in at `base_url`. When that is a known host with a fallback (api.hostkey.com) and it
   * cannot be reached at all (DNS, refused, TLS), the fallback host is tried once, and the profile
   * keeps whichever answered. An answer, even a refusal, is final: a wrong key stays a wrong key.
   */
  async signIn(req: SignInRequest): Promise<SignedIn> {
    this.assertOnline();
    const first = parseBaseUrl(this.deps.apiUrl ?? req.base_url).href.replace(/\/$/, '');
    try {
      return await this.signInAt(first, req, null);
    } catch (err) {
      // A pinned address (--api-url, ISODESK_API_URL) is the user's explicit choice: no fallback.
      const fallback = this.deps.apiUrl ? null : fallbackFor(first, this.hosts);
      if (!fallback || !neverReached(err)) throw err;
      const problem = (err as AppError).message;
      const from = { url: first, label: describeHost(first, this.hosts), problem };
      this.deps.observe?.({
        action: 'login',
        host: hostName(first),
        findings: [{ kind: 'fallback', decision: 'hosts', point: `${hostName(first)} could not be reached; signed in at ${hostName(fallback.url)}` }],
        shape: () => '{}',
      });
      try {
        return await this.signInAt(parseBaseUrl(fallback.url).href.replace(/\/$/, ''), req, from);
      } catch (second) {
        if (!neverReached(second)) throw second;
        throw new AppError('transient', `Neither ${from.label} nor ${fallback.label} could be reached. ${problem} ${(second as AppError).message}`, {
          hint: 'Check the internet connection, a firewall or proxy, or pick another HOSTKEY host (or a custom address) and try again.',
          code: (second as AppError).code,
        });
      }
    }
  }

  private async signInAt(baseUrl: string, req: SignInRequest, fellBackFrom: SignedIn['answered_by']['fell_back_from']): Promise<SignedIn> {
    let session: { token: string; token_expire: number | null } | null = req.token ? { token: req.token, token_expire: null } : null;
    const client = new HostkeyClient({
      baseUrl,
      credentials: { apiKey: req.api_key, token: req.token },
      transport: this.deps.transport,
      clock: this.deps.clock,
      observe: this.deps.observe,
      onSession: (update) => {
        session = { token: update.token, token_expire: update.token_expire };
      },
    });
    if (req.api_key) await client.login();
    let info: AccountInfo;
    try {
      info = await client.info();
    } catch (err) {
      if (err instanceof AppError && err.kind === 'auth' && req.token) {
        throw new AppError('auth', `HOSTKEY did not accept the token: ${err.message}`, {
          hint: 'Paste a current token, or sign in with an API key so ISO Desk can renew the session by itself.',
          code: err.code,
        });
      }
      throw err;
    }
    const stored: StoredProfile = {
      name: req.profile,
      base_url: client.baseUrl,
      role: info.role ?? info.role_name,
      role_type: info.role_type,
      permissions: info.permissions,
      email: info.email,
      customer_id: info.customer_id,
      auth: req.api_key ? 'key' : 'token',
    };
    const secrets: Secrets = { api_key: req.api_key, token: session?.token, token_expire: info.token_expire ?? session?.token_expire ?? null };
    // The profile first: a secret with no profile beside it would be invisible and never removed.
    this.deps.cache.profiles.upsert(stored);
    await this.deps.secrets.set(req.profile, secrets);
    this.deps.cache.profiles.setActive(stored.name);
    this.clients.delete(stored.name);
    const answered_by = { url: client.baseUrl, label: describeHost(client.baseUrl, this.hosts), fell_back_from: fellBackFrom };
    return { ...toProfile(stored, secrets), answered_by };
  }

  /** Signs the profile out everywhere: its secrets leave the shared store; its cached data stays. */
  async signOut(name?: string): Promise<void> {
    const profileName = name ?? this.activeName();
    if (!profileName) return;
    if (!this.deps.cache.profiles.get(profileName)) throw new AppError('not_found', `There is no profile named "${profileName}".`);
    const client = this.offline ? null : await this.clientFor(profileName);
    // Best effort: the token is forgotten locally whether or not HOSTKEY could be told.
    await client?.logout().catch(() => undefined);
    this.clients.delete(profileName);
    await this.deps.secrets.delete(profileName);
  }

  async switchTo(name: string): Promise<Profile> {
    const profile = this.deps.cache.profiles.get(name);
    if (!profile) throw new AppError('not_found', `There is no profile named "${name}".`, { hint: 'Sign in to create it.' });
    this.deps.cache.profiles.setActive(name);
    return toProfile(profile, await this.deps.secrets.get(name));
  }

  async remove(name: string): Promise<void> {
    if (!this.deps.cache.profiles.get(name)) throw new AppError('not_found', `There is no profile named "${name}".`);
    this.clients.delete(name);
    await this.deps.secrets.delete(name);
    this.deps.cache.profiles.remove(name);
    if (this.activeName() === name) this.deps.cache.profiles.setActive(this.deps.cache.profiles.list()[0]?.name ?? null);
  }

  /** The API client of a signed-in profile; null when the shared store holds nothing for it. */
  async clientFor(name: string): Promise<HostkeyClient | null> {
    if (this.offline) return null;
    const profile = this.deps.cache.profiles.get(name);
    const secrets = profile ? await this.deps.secrets.get(name) : null;
    if (!profile || !isSignedIn(secrets)) {
      // Signed out, here or by another process.
      this.clients.delete(name);
      return null;
    }
    const fingerprint = fingerprintOf(secrets);
    const cached = this.clients.get(name);
    if (cached?.fingerprint === fingerprint) return cached.client;
    const client = this.buildClient(profile, secrets);
    this.clients.set(name, { client, fingerprint });
    return client;
  }

  /** The active profile's client, or the error the user needs to see. */
  async requireClient(): Promise<{ profile: StoredProfile; client: HostkeyClient }> {
    this.assertOnline();
    const profile = this.active();
    const client = await this.clientFor(profile.name);
    if (!client) {
      throw new AppError('auth', `Profile "${profile.name}" is signed out.`, { hint: 'Sign in again with an API key from the HOSTKEY control panel.' });
    }
    return { profile, client };
  }

  /**
   * A fresh client of the active profile that also tells `observe` of every answer that differed
   * from the docs (the doctor's); renewed tokens are saved as usual.
   */
  async observedClient(observe: AnswerObserver): Promise<{ profile: StoredProfile; client: HostkeyClient }> {
    const { profile } = await this.requireClient();
    const secrets = await this.deps.secrets.get(profile.name);
    if (!isSignedIn(secrets)) throw new AppError('auth', `Profile "${profile.name}" is signed out.`);
    return { profile, client: this.buildClient(profile, secrets, observe) };
  }

  /** Re-reads role and permissions (auth.php info), e.g. when the network comes back. */
  async refreshRole(): Promise<Profile> {
    const { profile, client } = await this.requireClient();
    const info = await client.info();
    const stored: StoredProfile = {
      ...profile,
      role: info.role ?? info.role_name ?? profile.role,
      role_type: info.role_type ?? profile.role_type,
      permissions: info.permissions,
      email: info.email ?? profile.email,
      customer_id: info.customer_id ?? profile.customer_id,
    };
    this.deps.cache.profiles.upsert(stored);
    return toProfile(stored, await this.deps.secrets.get(profile.name));
  }

  private assertOnline(): void {
    if (this.offline)
      throw new AppError('offline', 'ISO Desk is in offline mode and will not contact HOSTKEY.', { hint: 'Run without --offline to use the network.' });
  }

  private buildClient(profile: StoredProfile, secrets: Secrets, alsoObserve?: AnswerObserver): HostkeyClient {
    const logged = this.deps.observe;
    return new HostkeyClient({
      baseUrl: this.deps.apiUrl ?? profile.base_url,
      credentials: { apiKey: secrets.api_key, token: secrets.token, tokenExpire: secrets.token_expire ?? null },
      transport: this.deps.transport,
      clock: this.deps.clock,
      observe: alsoObserve
        ? (report) => {
            logged?.(report);
            alsoObserve(report);
          }
        : logged,
      onSession: (update) => {
        const latest = this.deps.cache.profiles.get(profile.name);
        if (latest && !this.deps.apiUrl && latest.base_url !== update.base_url) this.deps.cache.profiles.upsert({ ...latest, base_url: update.base_url });
        void this.saveRenewedToken(profile.name, secrets.api_key, update).catch(() => {
          // Not saved: the next process signs in again with the key. Nothing for the user to do.
        });
      },
    });
  }

  /** Stores a renewed token unless the profile was signed out, or signed in with another key, meanwhile. */
  private async saveRenewedToken(name: string, apiKey: string | undefined, update: { token: string; token_expire: number | null }): Promise<void> {
    const current = await this.deps.secrets.get(name);
    if (!isSignedIn(current) || current.api_key !== apiKey) return;
    await this.deps.secrets.set(name, { ...current, token: update.token, token_expire: update.token_expire });
  }
}

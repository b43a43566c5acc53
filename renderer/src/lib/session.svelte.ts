/** Who is signed in: the profiles, the active one and its capabilities, and the network state. */
import type { IsoDeskApi, NetStatus, Request, SessionStatus } from '../../../main/ipc/contract.js';
import type { Profile } from '../../../main/domain/models.js';
import type { SignedIn } from '../../../main/domain/diagnostics.js';

export type SignInRequest = Request<'session/signIn'>;

/** The element of the offline banner that says why network actions cannot run (aria-describedby target). */
export const OFFLINE_REASON_ID = 'offline-reason';

export class Session {
  status = $state<SessionStatus | null>(null);
  net = $state<NetStatus>({ online: true, last_ok_at: null, last_error: null });
  active = $derived<Profile | null>(this.status?.profiles.find((p) => p.name === this.status?.active) ?? null);
  signedIn = $derived(this.active?.signed_in ?? false);

  constructor(private readonly api: IsoDeskApi) {}

  async load(): Promise<void> {
    const status = await this.api.session.status({});
    this.status = status;
    this.net = status.net;
  }

  /** Answers which host answered, and the one it fell back from when the first was unreachable. */
  async signIn(request: SignInRequest): Promise<SignedIn['answered_by']> {
    const signed = await this.api.session.signIn(request);
    await this.load();
    return signed.answered_by;
  }

  async switchTo(profile: string): Promise<void> {
    await this.api.session.switch({ profile });
    await this.load();
  }

  async signOut(): Promise<void> {
    const profile = this.active?.name;
    await this.api.session.signOut(profile === undefined ? {} : { profile });
    await this.load();
  }

  async removeProfile(profile: string): Promise<void> {
    await this.api.session.removeProfile({ profile });
    await this.load();
  }

  async checkNet(): Promise<NetStatus> {
    this.net = await this.api.net.check({});
    return this.net;
  }

  /** Why a network action cannot run now, or null when it can. */
  get offlineReason(): string | null {
    return this.net.online ? null : 'You are offline: uploads, mounts and changes need a connection to HOSTKEY.';
  }
}

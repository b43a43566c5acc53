/** Tokens handed out by auth.php login; unknown, logged-out and expired tokens all read as absent. */
import { randomBytes } from 'node:crypto';
import type { Account } from './records.js';
import { unixSeconds } from './time.js';

export interface Session {
  token: string;
  account: Account;
  /** The token's server list, refreshed by eq.php update_servers. */
  servers: number[];
  /** Unix seconds. */
  expire: number;
}

export class Sessions {
  private readonly byToken = new Map<string, Session>();

  constructor(private readonly now: () => number) {}

  open(account: Account, servers: number[], ttlSeconds: number): Session {
    const session: Session = {
      token: randomBytes(16).toString('hex'),
      account,
      servers,
      expire: unixSeconds(this.now()) + ttlSeconds,
    };
    this.byToken.set(session.token, session);
    return session;
  }

  find(token: string): Session | null {
    const session = this.byToken.get(token);
    if (!session) return null;
    if (this.now() >= session.expire * 1000) {
      this.byToken.delete(token);
      return null;
    }
    return session;
  }

  close(token: string): void {
    this.byToken.delete(token);
  }

  /** Fault injection: every token issued so far stops working now. */
  expireAll(): void {
    const expire = unixSeconds(this.now());
    for (const session of this.byToken.values()) session.expire = Math.min(session.expire, expire);
  }
}

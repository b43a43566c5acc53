/** Everything the local API knows, in one place the handlers share. */
import { Catalog } from './catalog.js';
import { demoAccounts, demoServers, seedCatalog } from './demo-data.js';
import { isStaff, type Account, type ServerRecord } from './records.js';
import { Sessions, type Session } from './sessions.js';
import { SyntheticIsos } from './synthetic.js';
import { Tasks } from './tasks.js';
import { PowerBoard } from './power.js';
import { ShiftableClock } from './time.js';

export interface WorldSettings {
  isoCount: number;
  taskDelayMs: number;
  uploadStepMs: number;
  /** How long a server stays "rebooting" after a reboot. */
  rebootMs: number;
  /** Overrides the `ttl` the client asks for at login; null follows the request. */
  tokenTtlSeconds: number | null;
  now: () => number;
}

export class World {
  readonly clock: ShiftableClock;
  readonly accounts: ReadonlyMap<string, Account>;
  readonly servers: ReadonlyMap<number, ServerRecord>;
  readonly catalog: Catalog;
  readonly sessions: Sessions;
  readonly tasks: Tasks;
  readonly power: PowerBoard;
  /** Where this server listens (http://127.0.0.1:PORT), for the console addresses it hands out. */
  publicUrl = '';
  private injectedFailure: string | null = null;

  constructor(readonly settings: WorldSettings) {
    this.clock = new ShiftableClock(settings.now);
    const now = this.clock.now;
    this.accounts = new Map(demoAccounts().map((a) => [a.key, a]));
    this.servers = new Map(demoServers().map((s) => [s.id, s]));
    // A queued deletion takes as long as one upload step: long enough to observe, short in tests.
    this.catalog = new Catalog(now, { uploadStepMs: settings.uploadStepMs, deleteDelayMs: settings.uploadStepMs });
    seedCatalog(this.catalog, now());
    if (settings.isoCount > 0) this.catalog.addSynthetic(new SyntheticIsos(settings.isoCount));
    this.sessions = new Sessions(now);
    this.tasks = new Tasks(now, settings.taskDelayMs);
    this.power = new PowerBoard(now, settings.rebootMs);
  }

  /** Staff see every server; customers their own. */
  serverIdsOf(account: Account): number[] {
    const all = [...this.servers.values()];
    return (isStaff(account) ? all : all.filter((s) => s.customer_id === account.customer_id)).map((s) => s.id);
  }

  /** A server the session may touch, or undefined (HOSTKEY answers "Server not found" either way). */
  serverFor(session: Session, id: number): ServerRecord | undefined {
    if (!isStaff(session.account) && !session.servers.includes(id)) return undefined;
    return this.servers.get(id);
  }

  /** Fault injection: the next mount, unmount or upload fails with this message. */
  failNextTask(message: string | null): void {
    this.injectedFailure = message;
  }

  takeInjectedFailure(): string | null {
    const failure = this.injectedFailure;
    this.injectedFailure = null;
    return failure;
  }

  get taskFailurePending(): boolean {
    return this.injectedFailure !== null;
  }

  /** Applies every change that time has brought since the last request. */
  settle(): void {
    this.catalog.settle();
  }
}

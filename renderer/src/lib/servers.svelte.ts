/** The account's servers and the one the catalog follows (remembered per profile). */
import type { IsoDeskApi } from '../../../main/ipc/contract.js';
import type { Server } from '../../../main/domain/models.js';
import { EarlyAnswer } from './first-rows.js';

const REMEMBER_KEY = 'isodesk.server.';
/** The request askEarly sends: the cached list. */
const CACHED = 'cached';

function remembered(profile: string): number | null {
  try {
    const value = Number(localStorage.getItem(REMEMBER_KEY + profile));
    return Number.isInteger(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

function remember(profile: string, id: number): void {
  try {
    localStorage.setItem(REMEMBER_KEY + profile, String(id));
  } catch {
    // Storage can be unavailable (private windows); the choice is then kept for this session only.
  }
}

export class Servers {
  items = $state<Server[]>([]);
  syncedAt = $state<number | null>(null);
  selectedId = $state<number | null>(null);
  loaded = $state(false);
  selected = $derived<Server | null>(this.items.find((s) => s.id === this.selectedId) ?? null);
  private profile: string | null = null;
  /** The cached list asked for before the session was read (askEarly), used by the first load that reads the cache. */
  private readonly early = new EarlyAnswer<Awaited<ReturnType<IsoDeskApi['servers']['list']>>>();

  constructor(private readonly api: IsoDeskApi) {}

  /** Asks main for the active profile's cached servers now, as the window starts (first-rows.ts). */
  askEarly(): void {
    this.early.ask(CACHED, this.api.servers.list({ refresh: false }));
  }

  async load(profile: string, refresh = false): Promise<void> {
    if (profile !== this.profile) {
      this.profile = profile;
      this.selectedId = null;
      this.loaded = false;
    }
    const answer = await this.early.take(refresh ? 'refresh' : CACHED, () => this.api.servers.list({ refresh }));
    if (profile !== this.profile) return;
    this.items = answer.items;
    this.syncedAt = answer.synced_at;
    this.loaded = true;
    const keep = [this.selectedId, remembered(profile)].find((id) => id !== null && answer.items.some((s) => s.id === id));
    this.selectedId = keep ?? answer.items[0]?.id ?? null;
  }

  select(id: number): void {
    this.selectedId = id;
    if (this.profile) remember(this.profile, id);
  }

  reset(): void {
    this.profile = null;
    this.items = [];
    this.selectedId = null;
    this.loaded = false;
  }
}

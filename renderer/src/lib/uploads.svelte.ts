/** "My uploads": the ISOs uploaded by URL (`uploaded`), as the cache or HOSTKEY answers. */
import type { IsoDeskApi, UploadUse } from '../../../main/ipc/contract.js';
import type { IsoImage } from '../../../main/domain/models.js';
import { uploadTone } from './upload-status.js';

/** An upload's size at one check of the list. */
export interface SizeAt {
  size: number;
  at: number;
}

export class Uploads {
  /** The list on screen: the account's own uploads, or the customer's an employee asked for. */
  items = $state<IsoImage[]>([]);
  /** The account's own uploads, whichever list is on screen: what it owns (see domain/permissions). */
  own = $state<IsoImage[]>([]);
  ownIds = $derived(new Set(this.own.map((iso) => iso.id)));
  /** When the list on screen was last checked at HOSTKEY. */
  syncedAt = $state<number | null>(null);
  offline = $state(false);
  loading = $state(false);
  /** Whose uploads an employee looks at; empty means the signed-in account's own. */
  email = $state('');
  /** For uploads in progress: the size at the check before the size last changed, to show it grows. */
  earlier = $state<Record<number, SizeAt>>({});
  /** When each upload on screen was last mounted (from HOSTKEY's history and the journal), by id. */
  usage = $state<Record<number, UploadUse>>({});
  private latest = 0;
  private latestUsage = 0;

  constructor(private readonly api: IsoDeskApi) {}

  /** True while an upload on screen is still with HOSTKEY (pending, downloading, …). */
  get inProgress(): boolean {
    return this.items.some((iso) => uploadTone(iso.status) === 'working');
  }

  async load(refresh: boolean): Promise<void> {
    const ticket = ++this.latest;
    this.loading = true;
    try {
      const email = this.email.trim();
      const answer = await this.api.uploads.list(email ? { email, refresh } : { refresh });
      if (ticket !== this.latest) return;
      this.noteGrowth(answer.items);
      this.items = answer.items;
      this.syncedAt = answer.synced_at;
      this.offline = answer.offline;
      if (!email) this.own = answer.items;
    } finally {
      if (ticket === this.latest) this.loading = false;
    }
  }

  /** Reads the account's own uploads (cached, then from HOSTKEY when online) to know what it owns. */
  async loadOwn(online: boolean): Promise<void> {
    for (const refresh of online ? [false, true] : [false]) {
      const answer = await this.api.uploads.list({ refresh });
      this.own = answer.items;
    }
  }

  /** Total bytes of the uploads on screen whose size HOSTKEY reports. */
  get totalSize(): number {
    return this.items.reduce((sum, iso) => sum + (iso.size ?? 0), 0);
  }

  /** Reads when each upload was last mounted; `refresh` asks HOSTKEY for their history again. */
  async loadUsage(refresh: boolean): Promise<void> {
    const ticket = ++this.latestUsage;
    const email = this.email.trim();
    const answer = await this.api.uploads.usage(email ? { email, refresh } : { refresh });
    if (ticket !== this.latestUsage) return;
    this.usage = Object.fromEntries(answer.items.map((u) => [u.iso_id, u]));
  }

  reset(): void {
    this.latest++;
    this.latestUsage++;
    this.usage = {};
    this.items = [];
    this.own = [];
    this.earlier = {};
    this.syncedAt = null;
    this.email = '';
  }

  private noteGrowth(next: IsoImage[]): void {
    const at = this.syncedAt;
    const before = new Map(this.items.map((iso) => [iso.id, iso.size]));
    const earlier: Record<number, SizeAt> = {};
    for (const iso of next) {
      if (uploadTone(iso.status) !== 'working') continue;
      const size = before.get(iso.id);
      if (at !== null && size !== undefined && iso.size !== undefined && size !== iso.size) earlier[iso.id] = { size, at };
      else if (this.earlier[iso.id]) earlier[iso.id] = this.earlier[iso.id]!;
    }
    this.earlier = earlier;
  }
}

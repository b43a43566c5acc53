/** "My uploads": the ISOs uploaded by URL (`uploaded`), as the cache or HOSTKEY answers. */
import type { IsoDeskApi } from '../../../main/ipc/contract.js';
import type { IsoImage } from '../../../main/domain/models.js';

export class Uploads {
  items = $state<IsoImage[]>([]);
  syncedAt = $state<number | null>(null);
  offline = $state(false);
  loading = $state(false);
  /** Whose uploads an employee looks at; empty means the signed-in account's own. */
  email = $state('');
  private latest = 0;

  constructor(private readonly api: IsoDeskApi) {}

  async load(refresh: boolean): Promise<void> {
    const ticket = ++this.latest;
    this.loading = true;
    try {
      const email = this.email.trim();
      const answer = await this.api.uploads.list(email ? { email, refresh } : { refresh });
      if (ticket !== this.latest) return;
      this.items = answer.items;
      this.syncedAt = answer.synced_at;
      this.offline = answer.offline;
    } finally {
      if (ticket === this.latest) this.loading = false;
    }
  }

  reset(): void {
    this.latest++;
    this.items = [];
    this.syncedAt = null;
    this.email = '';
  }
}

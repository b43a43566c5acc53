/** The Activity tab: the timeline main merges (services/activity.ts), with the filters people set. */
import type { ActivityList, ActivityQuery, IsoDeskApi } from '../../../main/ipc/contract.js';

const DAY = 86_400_000;

export const SINCE_CHOICES = [
  { id: 'any', label: 'Any time', ms: null },
  { id: '1d', label: 'Last 24 hours', ms: DAY },
  { id: '7d', label: 'Last 7 days', ms: 7 * DAY },
  { id: '30d', label: 'Last 30 days', ms: 30 * DAY },
  { id: '1y', label: 'Last 12 months', ms: 365 * DAY },
] as const;
export type SinceId = (typeof SINCE_CHOICES)[number]['id'];

export class Activity {
  serverId = $state<number | null>(null);
  isoId = $state<number | null>(null);
  kind = $state<string | null>(null);
  since = $state<SinceId>('any');
  answer = $state<ActivityList | null>(null);
  loading = $state(false);
  private ticket = 0;

  constructor(private readonly api: IsoDeskApi) {}

  /** The filters as main reads them; `since` counts back from now. */
  query(refresh: boolean, now = Date.now()): ActivityQuery {
    const since = SINCE_CHOICES.find((c) => c.id === this.since)?.ms ?? null;
    return { server_id: this.serverId, iso_id: this.isoId, kind: this.kind, since: since === null ? null : now - since, refresh };
  }

  /** Reads the timeline under the current filters; `refresh` asks HOSTKEY again first. */
  async load(refresh: boolean): Promise<void> {
    const ticket = ++this.ticket;
    this.loading = true;
    try {
      const answer = await this.api.activity.list(this.query(refresh));
      if (ticket === this.ticket) this.answer = answer;
    } finally {
      if (ticket === this.ticket) this.loading = false;
    }
  }

  reset(): void {
    this.ticket++;
    this.answer = null;
    this.serverId = null;
    this.isoId = null;
    this.kind = null;
    this.since = 'any';
  }
}

/** How the HOSTKEY API writes moments: ISO timestamps on images, "date time" in history, unix seconds on tokens. */

/** `2024-01-15T10:30:00Z`, as the seed's `created_at`. */
export function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2024-01-15 10:30:00`, as the seed's history `date`. */
export function historyDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** The local API's time: the injected clock plus whatever tests have moved it forward. */
export class ShiftableClock {
  private offsetMs = 0;

  constructor(private readonly base: () => number) {}

  readonly now = (): number => this.base() + this.offsetMs;

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

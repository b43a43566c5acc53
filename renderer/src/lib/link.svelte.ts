/**
 * Whether ISO Desk's background process still answers the page: Electron's main process, or the
 * browser harness. Every call reports how it went, and while nothing else is asked a heartbeat
 * asks, so a harness that died is noticed within seconds instead of the page showing "Connected".
 */
const HEARTBEAT_MS = 4000;

export class Link {
  lost = $state(false);

  /** Called by the API wrapper after every call: did the background process answer at all? */
  report(answered: boolean): void {
    if (this.lost === answered) this.lost = !answered;
  }

  /** Asks `ping` every few seconds while the page is visible; answers the stop function. */
  watch(ping: () => Promise<unknown>): () => void {
    const timer = setInterval(() => {
      if (!document.hidden) ping().catch(() => undefined);
    }, HEARTBEAT_MS);
    return () => clearInterval(timer);
  }
}

/**
 * The order of a start: the catalog's cached rows are read and shown first, and everything else
 * (the task list, jobs, power records, preferences, uploads, the change set, the sync with
 * HOSTKEY) follows them. Main answers calls one at a time, so a call sent before the first page
 * of rows is a call that page waits behind. The cached servers and the first page of the server
 * shown last are asked for as the window starts, beside the session (Servers.askEarly,
 * Catalog.askEarly).
 */

const LAST_SHOWN_KEY = 'isodesk.catalog.lastShown';

/** The server whose catalog this window showed last, or null. */
export function lastShownServer(): number | null {
  try {
    const value = Number(localStorage.getItem(LAST_SHOWN_KEY));
    return Number.isInteger(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

export function rememberShownServer(serverId: number): void {
  try {
    localStorage.setItem(LAST_SHOWN_KEY, String(serverId));
  } catch {
    // Storage can be unavailable (private windows); the next start then reads its first page in turn.
  }
}

export class FirstRows {
  private open!: () => void;
  private opened = false;
  /** Settles once the first rows are on screen, or once it is known there will be none. */
  readonly shown: Promise<void> = new Promise((resolve) => (this.open = resolve));

  /** The first rows are on screen, or will not come (signed out, no server, the query failed). */
  done(): void {
    if (this.opened) return;
    this.opened = true;
    this.open();
  }

  /** Runs `work` once the first rows are on screen; at once when they already are. */
  then<T>(work: () => Promise<T>): Promise<T> {
    return this.shown.then(work);
  }
}

/**
 * An answer asked for as the window starts, before it knows it will need it: the first request
 * that is the same (by `key`) takes it, once; any other request, or one after it failed, is sent
 * in turn.
 */
export class EarlyAnswer<T> {
  private early: { key: string; answer: Promise<T> } | null = null;

  ask(key: string, answer: Promise<T>): void {
    answer.catch(() => undefined);
    this.early = { key, answer };
  }

  /** The early answer when `key` is the one asked early, else (or when it failed) `send()`. */
  async take(key: string, send: () => Promise<T>): Promise<T> {
    const early = this.early;
    this.early = null;
    const answer = early?.key === key ? await early.answer.catch(() => null) : null;
    return answer ?? send();
  }
}

/** Short notifications (the role=status region): task outcomes, finished actions, errors. */
import { errorText } from './errors.js';

export type ToastTone = 'info' | 'success' | 'error';

export interface ToastAction {
  label: string;
  run: () => void;
}

export interface Toast {
  id: number;
  tone: ToastTone;
  title: string;
  detail: string | null;
  /** One thing to do about it, right there (e.g. "Back to disk"). */
  action: ToastAction | null;
}

const LIFETIME_MS: Record<ToastTone, number> = { info: 5000, success: 6000, error: 12000 };
/** A notification that offers something to do stays long enough to do it. */
const ACTION_LIFETIME_MS = 30_000;
const MAX_SHOWN = 4;

export class Toasts {
  items = $state<Toast[]>([]);
  private nextId = 1;

  show(tone: ToastTone, title: string, detail: string | null = null, action: ToastAction | null = null): void {
    const id = this.nextId++;
    this.items = [...this.items, { id, tone, title, detail, action }].slice(-MAX_SHOWN);
    setTimeout(() => this.dismiss(id), action ? ACTION_LIFETIME_MS : LIFETIME_MS[tone]);
  }

  /** An error in plain words: the API's message, then what to do next. */
  error(title: string, err: unknown): void {
    this.show('error', title, errorText(err));
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

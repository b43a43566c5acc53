/** The keyboard map: what each key does, and the table the help dialog shows. */

export type Command = 'search' | 'upload' | 'refresh' | 'tasks' | 'help';

export interface ShortcutHelp {
  /** Alternatives ("/ or Ctrl+K"), or keys that work together when `group` is set. */
  keys: string[];
  action: string;
  group?: boolean;
}

const isMac = typeof navigator !== 'undefined' && /Mac OS X|iPhone|iPad/.test(navigator.userAgent);
export const MOD = isMac ? '⌘' : 'Ctrl';

export const SHORTCUT_HELP: ShortcutHelp[] = [
  { keys: ['/', `${MOD}+K`], action: 'Search the catalog' },
  { keys: [`${MOD}+U`], action: 'Upload an ISO by URL' },
  { keys: [`${MOD}+V`], action: 'Paste a link to upload it' },
  { keys: [`${MOD}+R`, 'F5'], action: 'Refresh from HOSTKEY' },
  { keys: ['T', `${MOD}+J`], action: 'Show or hide tasks' },
  { keys: ['↑', '↓', 'PgUp', 'PgDn', 'Home', 'End'], action: 'Move the selection in the list', group: true },
  { keys: ['Enter'], action: 'Open the selected ISO' },
  { keys: ['Esc'], action: 'Close a dialog or panel' },
  { keys: ['?'], action: 'Show keyboard shortcuts' },
];

/** What an element tells about whether keys go into it. */
interface KeyTarget {
  tagName: string;
  isContentEditable?: boolean;
  type?: string;
}

const NON_TEXT_INPUTS = ['checkbox', 'radio', 'button', 'submit', 'reset'];

/**
 * True when keys typed go into a field, so single-letter shortcuts must not fire. Elements are
 * told apart by tag name rather than instanceof, which fails for elements of another frame.
 */
export function isTyping(target: EventTarget | null): boolean {
  if (target === null || !('tagName' in target) || typeof target.tagName !== 'string') return false;
  const element = target as EventTarget & KeyTarget;
  if (element.isContentEditable === true) return true;
  switch (element.tagName.toUpperCase()) {
    case 'TEXTAREA':
    case 'SELECT':
      return true;
    case 'INPUT':
      return !NON_TEXT_INPUTS.includes(element.type ?? 'text');
    default:
      return false;
  }
}

/** The command a key press asks for, or null. */
export function commandFor(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'target'>): Command | null {
  const mod = isMac ? e.metaKey : e.ctrlKey;
  if (e.key === 'F5') return 'refresh';
  if (mod && !e.altKey) {
    const key = e.key.toLowerCase();
    if (key === 'k') return 'search';
    if (key === 'u') return 'upload';
    if (key === 'j') return 'tasks';
    if (key === 'r' && !e.shiftKey) return 'refresh';
    return null;
  }
  if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return null;
  if (e.key === '/') return 'search';
  if (e.key === '?') return 'help';
  if (e.key === 't' || e.key === 'T') return 'tasks';
  return null;
}

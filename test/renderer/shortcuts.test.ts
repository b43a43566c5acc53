/**
 * The keyboard map: which key press asks for which command, that single keys stay quiet while
 * someone types in a field, and that the help dialog lists keys that really work. Node is not a
 * Mac, so the modifier is Ctrl.
 */
import { describe, expect, it } from 'vitest';
import { commandFor, isTyping, MOD, SHORTCUT_HELP, type Command } from '../../renderer/src/lib/shortcuts.js';

type KeyPress = Parameters<typeof commandFor>[0];

function press(key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress {
  return { key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, target: null, ...mods };
}

/** An element as key events see it: the properties isTyping reads, on a real EventTarget. */
function element(tagName: string, props: { type?: string; isContentEditable?: boolean } = {}): EventTarget {
  return Object.assign(new EventTarget(), { tagName, isContentEditable: false, ...props });
}

const textField = element('INPUT', { type: 'search' });

describe('commandFor', () => {
  it('maps the single keys when focus is not in a field', () => {
    const body = element('BODY');
    expect(commandFor(press('/', { target: body }))).toBe('search');
    expect(commandFor(press('?', { target: body, shiftKey: true }))).toBe('help');
    expect(commandFor(press('t', { target: body }))).toBe('tasks');
    expect(commandFor(press('T', { target: body, shiftKey: true }))).toBe('tasks');
    expect(commandFor(press('x', { target: body }))).toBeNull();
    expect(commandFor(press('Enter', { target: body }))).toBeNull();
  });

  it('maps Ctrl shortcuts and F5, also while typing in a field', () => {
    for (const target of [null, textField]) {
      expect(commandFor(press('k', { ctrlKey: true, target }))).toBe('search');
      expect(commandFor(press('K', { ctrlKey: true, shiftKey: true, target }))).toBe('search');
      expect(commandFor(press('u', { ctrlKey: true, target }))).toBe('upload');
      expect(commandFor(press('j', { ctrlKey: true, target }))).toBe('tasks');
      expect(commandFor(press('r', { ctrlKey: true, target }))).toBe('refresh');
      expect(commandFor(press('F5', { target }))).toBe('refresh');
    }
  });

  it('leaves other modifier combinations alone', () => {
    // Ctrl+Shift+R, Ctrl+V (paste is handled by the paste event), Alt and, off a Mac, Meta.
    expect(commandFor(press('R', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(commandFor(press('v', { ctrlKey: true }))).toBeNull();
    expect(commandFor(press('k', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(commandFor(press('k', { metaKey: true }))).toBeNull();
    expect(commandFor(press('/', { altKey: true }))).toBeNull();
    expect(commandFor(press('t', { ctrlKey: true }))).toBeNull();
  });

  it('does not fire single-key shortcuts inside text fields', () => {
    const fields = [
      textField,
      element('INPUT', { type: 'text' }),
      element('INPUT'),
      element('TEXTAREA'),
      element('SELECT'),
      element('DIV', { isContentEditable: true }),
    ];
    for (const target of fields) {
      for (const key of ['/', '?', 't', 'T']) expect(commandFor(press(key, { target }))).toBeNull();
    }
  });

  it('still fires them on checkboxes, radio buttons and buttons', () => {
    for (const type of ['checkbox', 'radio', 'button', 'submit', 'reset']) {
      expect(commandFor(press('t', { target: element('INPUT', { type }) }))).toBe('tasks');
    }
    expect(commandFor(press('/', { target: element('BUTTON') }))).toBe('search');
  });
});

describe('isTyping', () => {
  it('is true only for elements that take text', () => {
    expect(isTyping(null)).toBe(false);
    expect(isTyping(new EventTarget())).toBe(false);
    expect(isTyping(element('A'))).toBe(false);
    expect(isTyping(element('INPUT', { type: 'checkbox' }))).toBe(false);
    expect(isTyping(element('INPUT', { type: 'url' }))).toBe(true);
    expect(isTyping(element('textarea'))).toBe(true);
    expect(isTyping(element('P', { isContentEditable: true }))).toBe(true);
  });
});

describe('the help dialog', () => {
  /** The commands behind the help rows that commandFor handles (the others are handled by the list and dialogs). */
  const COMMAND_OF_ACTION: Record<string, Command> = {
    'Search the catalog': 'search',
    'Upload an ISO by URL': 'upload',
    'Refresh from HOSTKEY': 'refresh',
    'Show or hide tasks': 'tasks',
    'Show keyboard shortcuts': 'help',
  };

  function pressFor(label: string): KeyPress {
    const prefix = `${MOD}+`;
    if (label.startsWith(prefix)) return press(label.slice(prefix.length).toLowerCase(), { ctrlKey: true });
    return press(label === 'T' ? 't' : label);
  }

  it('uses Ctrl off a Mac', () => {
    expect(MOD).toBe('Ctrl');
  });

  it('lists, for every command, keys that really give that command', () => {
    const listed = SHORTCUT_HELP.filter((row) => row.action in COMMAND_OF_ACTION);
    expect(listed.map((row) => COMMAND_OF_ACTION[row.action]).sort()).toEqual(['help', 'refresh', 'search', 'tasks', 'upload']);
    for (const row of listed) {
      for (const label of row.keys) expect(commandFor(pressFor(label)), `${label} for “${row.action}”`).toBe(COMMAND_OF_ACTION[row.action]);
    }
  });
});

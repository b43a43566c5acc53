/**
 * What "the window holds" means, checked in the page: nothing scrolls sideways, no control sticks
 * out of the window, and no control is narrower than what it shows (a button's label, a select's
 * chosen option, an empty field's placeholder).
 */
import type { Page } from 'playwright-core';

export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) problems.push(`the page scrolls sideways (${root.scrollWidth} px wide in ${root.clientWidth})`);
    const canvas = document.createElement('canvas').getContext('2d')!;
    const textWidth = (text: string, style: CSSStyleDeclaration): number => {
      canvas.font = style.font;
      return canvas.measureText(text).width;
    };
    const name = (el: Element): string =>
      `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40) || el.id}"`;

    const controls = document.querySelectorAll<HTMLElement>('button, select, input, textarea, a[href], [role="tab"], [role="menuitem"]');
    for (const el of controls) {
      if (!el.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions)) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.left < -0.5 || box.right > window.innerWidth + 0.5)
        problems.push(`${name(el)} sticks out of the window (${Math.round(box.left)}–${Math.round(box.right)})`);
      const style = getComputedStyle(el);
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (el instanceof HTMLSelectElement) {
        const shown = el.selectedOptions[0]?.text ?? '';
        const needed = textWidth(shown, style);
        if (needed > room + 1) problems.push(`${name(el)} is narrower than its option "${shown}" (${Math.round(room)} < ${Math.round(needed)})`);
      } else if (el instanceof HTMLInputElement) {
        if (['checkbox', 'radio', 'range', 'color', 'file'].includes(el.type) || el.value !== '' || !el.placeholder) continue;
        const needed = textWidth(el.placeholder, style);
        if (needed > room + 1) problems.push(`${name(el)} is narrower than its placeholder (${Math.round(room)} < ${Math.round(needed)})`);
      } else if (!(el instanceof HTMLTextAreaElement) && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`${name(el)} is narrower than its content (${el.clientWidth} < ${el.scrollWidth})`);
      }
    }
    return problems;
  });
}

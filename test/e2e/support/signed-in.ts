/**
 * The set-up most browser tests share: the stack (stack.ts) and Chromium, started side by side,
 * and one page on the app, signed in with the local API's client account as profile "work", its
 * catalog on screen. Whatever it started is closed again if a later step fails.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage } from './chromium.js';
import { startStack, type Stack, type StackOptions } from './stack.js';
import { signIn } from './ui.js';

export interface SignedInStack extends Stack {
  browser: Browser;
  /** The signed-in page. */
  page: Page;
  /** Closes the browser, then the stack. */
  close(): Promise<void>;
}

export interface SignedInOptions {
  stack?: StackOptions;
  /** Runs on the new page before it loads the app (e.g. an init script). */
  beforeLoad?: (page: Page) => Promise<unknown>;
  /** How long signing in may take until the first catalog rows show (ui.ts's LONG by default). */
  signInTimeout?: number;
}

export async function signedInStack(opts: SignedInOptions = {}): Promise<SignedInStack> {
  const [started, launched] = await Promise.allSettled([startStack(opts.stack), launchChromium()]);
  if (started.status === 'rejected' || launched.status === 'rejected') {
    if (launched.status === 'fulfilled') await launched.value.close();
    if (started.status === 'fulfilled') await started.value.close();
    throw started.status === 'rejected' ? started.reason : (launched as PromiseRejectedResult).reason;
  }
  const stack = started.value;
  const browser = launched.value;
  const closeStack = stack.close;
  const close = async () => {
    await browser.close();
    await closeStack();
  };
  try {
    const { page } = await openPage(browser);
    await opts.beforeLoad?.(page);
    await page.goto(stack.harness.url);
    await signIn(page, { profile: 'work', key: stack.api.keys.client }, opts.signInTimeout);
    // The same object, not a copy: restartHarness() replaces `harness` on it.
    return Object.assign(stack, { browser, page, close });
  } catch (err) {
    await close();
    throw err;
  }
}

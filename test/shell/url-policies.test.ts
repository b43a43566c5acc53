import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN, isAppUrl } from '../../main/shell/app-origin.js';
import { externalUrl, insecureLinkPrompt, navigationDecision, OPEN_INSECURE_LINK, windowOpenDecision } from '../../main/shell/navigation-policy.js';
import { contentTypeFor, readRendererFile, resolveRendererFile } from '../../main/shell/renderer-files.js';
import { isBlockedRequest, isPermissionAllowed } from '../../main/shell/request-policy.js';
import { isTrustedSender } from '../../main/shell/sender-trust.js';

describe('app origin', () => {
  it('recognises only app://isodesk URLs', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl(`${APP_ORIGIN}/assets/index-abc.js`)).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('app://user@isodesk/index.html')).toBe(false);
    expect(isAppUrl('https://isodesk/index.html')).toBe(false);
    expect(isAppUrl('file:///tmp/index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('navigation and window.open', () => {
  it('keeps in-app navigation, sends http(s) to the browser (asking first for http), drops every other scheme', () => {
    expect(navigationDecision(`${APP_ORIGIN}/index.html#/tasks`)).toEqual({ action: 'allow' });
    expect(navigationDecision('https://hostkey.com/docs')).toEqual({ action: 'open-external', url: 'https://hostkey.com/docs', confirm: false });
    expect(navigationDecision('http://example.org/a b')).toEqual({ action: 'open-external', url: 'http://example.org/a%20b', confirm: true });
    expect(navigationDecision('HTTP://EXAMPLE.ORG/')).toEqual({ action: 'open-external', url: 'http://example.org/', confirm: true });
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'smb://host/share',
      'ms-settings:',
      'vscode://x',
      '',
    ]) {
      expect(navigationDecision(url)).toEqual({ action: 'deny' });
    }
  });

  it('never opens a new window, even for the app origin', () => {
    expect(windowOpenDecision(APP_ENTRY_URL)).toEqual({ action: 'deny' });
    expect(windowOpenDecision('https://hostkey.com/')).toEqual({ action: 'open-external', url: 'https://hostkey.com/', confirm: false });
  });

  it('asks about a plain-http link with the link shown and Cancel as the default', () => {
    const prompt = insecureLinkPrompt('http://mirror.example/a.iso');
    expect(prompt.detail).toContain('http://mirror.example/a.iso');
    expect(prompt.buttons[OPEN_INSECURE_LINK]).toBe('Open in Browser');
    expect(prompt.buttons[prompt.defaultId]).toBe('Cancel');
    expect(prompt.cancelId).toBe(prompt.defaultId);
  });

  it('refuses links with credentials or absurd length', () => {
    expect(externalUrl('https://user:pw@evil.example/')).toBeNull();
    expect(externalUrl('https://user@evil.example/')).toBeNull();
    expect(externalUrl(`https://example.org/${'a'.repeat(3000)}`)).toBeNull();
  });
});

describe('renderer requests and permissions', () => {
  it('cancels network and file requests but lets app://, data: and devtools through', () => {
    for (const url of ['https://api.hostkey.com/auth.php', 'http://127.0.0.1:8080/', 'wss://x.example/', 'file:///etc/hosts', 'ftp://x/', '::bad::']) {
      expect(isBlockedRequest(url)).toBe(true);
    }
    for (const url of [APP_ENTRY_URL, 'data:image/png;base64,AAAA', 'devtools://devtools/bundled/inspector.html']) {
      expect(isBlockedRequest(url)).toBe(false);
    }
  });

  it('grants only clipboard writes, and only to the app itself', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', APP_ORIGIN)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example')).toBe(false);
    for (const permission of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal']) {
      expect(isPermissionAllowed(permission, APP_ORIGIN)).toBe(false);
    }
  });
});

describe('IPC sender trust', () => {
  const main = { webContentsId: 7, isMainFrame: true, frameUrl: APP_ENTRY_URL };
  it('trusts the main frame of the app window on the app origin', () => {
    expect(isTrustedSender(main, 7)).toBe(true);
  });
  it('refuses other windows, sub-frames, gone frames, foreign origins and calls before the window exists', () => {
    expect(isTrustedSender({ ...main, webContentsId: 8 }, 7)).toBe(false);
    expect(isTrustedSender({ ...main, isMainFrame: false }, 7)).toBe(false);
    expect(isTrustedSender({ ...main, isMainFrame: null }, 7)).toBe(false);
    expect(isTrustedSender({ ...main, frameUrl: 'https://evil.example/' }, 7)).toBe(false);
    expect(isTrustedSender({ ...main, frameUrl: 'file:///tmp/index.html' }, 7)).toBe(false);
    expect(isTrustedSender({ ...main, frameUrl: '' }, 7)).toBe(false);
    expect(isTrustedSender(main, null)).toBe(false);
  });
});

describe('renderer files (app:// and the browser harness)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-renderer-'));
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'export {};');
  fs.writeFileSync(path.join(root, 'assets', 'blob.bin'), 'data');
  const outside = `${root}-secret.txt`;
  fs.writeFileSync(outside, 'outside');
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { force: true });
  });

  it('maps URL paths to files inside the renderer folder', () => {
    expect(resolveRendererFile(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveRendererFile(root, '/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveRendererFile(root, '/assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
    expect(resolveRendererFile(root, '//assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
  });

  it('never names a file outside the renderer folder', () => {
    const name = path.basename(outside);
    for (const urlPath of [
      `/../${name}`,
      `/%2e%2e/${name}`,
      `/assets/%2e%2e%2f%2e%2e%2f${name}`,
      `/..%5c${name}`,
      `/${'%2e%2e/'.repeat(8)}etc/passwd`,
      `/%2F${outside}`,
    ]) {
      const file = resolveRendererFile(root, urlPath);
      expect(file, urlPath).not.toBe(outside);
      expect(file === null || file.startsWith(root + path.sep), urlPath).toBe(true);
    }
  });

  it('refuses encoded backslashes, NUL bytes and malformed escapes', () => {
    for (const urlPath of ['/..%5cindex.html', '/assets\\app.js', '/index.html%00.png', '/%E0%A4%A']) {
      expect(resolveRendererFile(root, urlPath), urlPath).toBeNull();
    }
  });

  it('reads files with a content type nosniff accepts, and nothing else', async () => {
    expect(await readRendererFile(root, '/assets/app.js')).toMatchObject({ contentType: expect.stringMatching(/^text\/javascript/) });
    expect((await readRendererFile(root, '/'))?.body.toString()).toBe('<!doctype html>');
    expect(await readRendererFile(root, '/assets/blob.bin')).toBeNull();
    expect(await readRendererFile(root, '/assets')).toBeNull();
    expect(await readRendererFile(root, '/missing.js')).toBeNull();
    expect(contentTypeFor('/x/app.JS')).toMatch(/^text\/javascript/);
    expect(contentTypeFor('/x/app.css')).toMatch(/^text\/css/);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN, isAppUrl } from '../../main/shell/app-origin.js';
import { contentTypeFor, resolveAppFile } from '../../main/shell/app-files.js';
import { CONTENT_SECURITY_POLICY, securityHeaders } from '../../main/shell/csp.js';
import { externalUrl, navigationDecision, windowOpenDecision } from '../../main/shell/navigation-policy.js';
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
  it('keeps in-app navigation, sends http(s) to the browser, drops every other scheme', () => {
    expect(navigationDecision(`${APP_ORIGIN}/index.html#/tasks`)).toEqual({ action: 'allow' });
    expect(navigationDecision('https://hostkey.com/docs')).toEqual({ action: 'open-external', url: 'https://hostkey.com/docs' });
    expect(navigationDecision('http://example.org/a b')).toEqual({ action: 'open-external', url: 'http://example.org/a%20b' });
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
    expect(windowOpenDecision('https://hostkey.com/')).toEqual({ action: 'open-external', url: 'https://hostkey.com/' });
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

describe('serving the renderer', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-renderer-'));
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), '');
  const outside = `${root}-secret.txt`;
  fs.writeFileSync(outside, 'outside');
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { force: true });
  });

  it('maps app URLs to files inside the renderer folder', () => {
    expect(resolveAppFile(root, `${APP_ORIGIN}/`)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, APP_ENTRY_URL)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, `${APP_ORIGIN}/assets/app.js?v=1`)).toBe(path.join(root, 'assets', 'app.js'));
  });

  it('never serves a file outside the renderer folder', () => {
    const name = path.basename(outside);
    for (const url of [
      `${APP_ORIGIN}/../${name}`,
      `${APP_ORIGIN}/%2e%2e/${name}`,
      `${APP_ORIGIN}/assets/%2e%2e%2f%2e%2e%2f${name}`,
      `${APP_ORIGIN}/..%5c${name}`,
    ]) {
      const file = resolveAppFile(root, url);
      expect(file, url).not.toBe(outside);
      expect(file === null || file.startsWith(root + path.sep), url).toBe(true);
    }
  });

  it('refuses encoded separators, NUL bytes, malformed escapes and other origins', () => {
    for (const url of [
      `${APP_ORIGIN}/assets/%2e%2e%2f%2e%2e%2fisodesk-secret.txt`,
      `${APP_ORIGIN}/..%5cisodesk-secret.txt`,
      `${APP_ORIGIN}/index.html%00.png`,
      `${APP_ORIGIN}/%E0%A4%A`,
      'app://elsewhere/index.html',
      `file://${root}/index.html`,
    ]) {
      expect(resolveAppFile(root, url), url).toBeNull();
    }
  });

  it('labels content types so nosniff does not block scripts and styles', () => {
    expect(contentTypeFor('/x/index.html')).toMatch(/^text\/html/);
    expect(contentTypeFor('/x/app.JS')).toMatch(/^text\/javascript/);
    expect(contentTypeFor('/x/app.css')).toMatch(/^text\/css/);
    expect(contentTypeFor('/x/blob.bin')).toBe('application/octet-stream');
  });

  it('sends a CSP that allows only the app itself and no network', () => {
    const headers = securityHeaders('text/html');
    expect(headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'none'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*|https?:/);
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
  });
});

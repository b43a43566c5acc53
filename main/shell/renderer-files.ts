/**
 * The built renderer's files, served read-only by both front ends that show it: the desktop app's
 * app:// protocol (protocol.ts) and the browser harness (main/web/server.ts). One table of content
 * types (with nosniff, a script served under the wrong type does not run) and one guard: a URL
 * path names a regular file inside the renderer folder or nothing. Encoded dots, backslashes, NUL
 * bytes and absolute paths cannot leave the folder, and files of unknown types are not served.
 * Free of Electron, so the harness imports it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export interface RendererFile {
  file: string;
  body: Buffer<ArrayBuffer>;
  contentType: string;
}

/** The content type a file is served with, or null for a type the renderer never ships. */
export function contentTypeFor(file: string): string | null {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? null;
}

/** The file `urlPath` (a URL's pathname, still percent-encoded) names inside `root`, or null. */
export function resolveRendererFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = path.resolve(root);
  const file = path.resolve(base, relative);
  return file.startsWith(base + path.sep) ? file : null;
}

/** Reads the file `urlPath` names, or answers null (outside the folder, unknown type, missing, not a file). */
export async function readRendererFile(root: string, urlPath: string): Promise<RendererFile | null> {
  const file = resolveRendererFile(root, urlPath);
  const contentType = file ? contentTypeFor(file) : null;
  if (!file || !contentType) return null;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return null;
    return { file, body: await fs.readFile(file), contentType };
  } catch {
    return null;
  }
}

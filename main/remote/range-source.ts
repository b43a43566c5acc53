/**
 * A file on an https server read in pieces with HTTP range requests (RFC 9110 §14): the sniffer's
 * ByteSource. A server that ignores ranges answers 200 with the whole file; then only its first
 * 64 KiB are read before the connection is closed, and later reads answer null.
 */
import { RemoteError, headerText, httpsGet, readAtMost, type RemoteOptions } from './https.js';

/** The most read from a server that ignores ranges. */
export const MAX_WITHOUT_RANGES = 64 * 1024;

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;
const UNSATISFIED_RANGE = /^bytes \*\/(\d+)$/;

export class HttpRangeSource {
  fileSize: number | null = null;
  bytesRead = 0;
  ranges = false;
  contentType: string | null = null;
  private url: URL;
  private reads = 0;

  constructor(
    url: URL,
    private readonly opts: RemoteOptions,
  ) {
    this.url = url;
  }

  /** Where the file finally is, after the first read followed the redirects. */
  get finalUrl(): URL {
    return this.url;
  }

  async read(offset: number, length: number): Promise<Uint8Array | null> {
    if (this.reads++ > 0 && !this.ranges) return null;
    // identity: a range of a compressed transfer would not be the file's own bytes.
    const res = await httpsGet(this.url, { range: `bytes=${offset}-${offset + length - 1}`, 'accept-encoding': 'identity' }, this.opts);
    this.url = res.url;
    this.contentType = headerText(res.headers, 'content-type')?.split(';')[0]?.trim() ?? null;
    const encoding = headerText(res.headers, 'content-encoding');
    if (res.status === 416) {
      await res.body.dump();
      const total = UNSATISFIED_RANGE.exec(headerText(res.headers, 'content-range') ?? '');
      if (total) this.fileSize = Number(total[1]);
      this.ranges = true;
      return new Uint8Array(0);
    }
    if (res.status !== 200 && res.status !== 206) {
      await res.body.dump();
      throw new RemoteError(`the server answered HTTP ${res.status}`);
    }
    if (encoding && encoding !== 'identity') {
      res.body.destroy();
      throw new RemoteError(`the server sent the file ${encoding}-encoded, so its own bytes could not be read`);
    }
    if (res.status === 206) return this.readRange(res.body, headerText(res.headers, 'content-range'), offset, length);
    // 200: the server ignored the range and sends the whole file from its first byte.
    this.ranges = false;
    const declared = headerText(res.headers, 'content-length');
    if (declared !== null && /^\d+$/.test(declared)) this.fileSize = Number(declared);
    if (offset !== 0) {
      res.body.destroy();
      return null;
    }
    const { bytes } = await readAtMost(res.body, Math.min(length, MAX_WITHOUT_RANGES), this.opts.signal);
    this.bytesRead += bytes.length;
    return bytes;
  }

  private async readRange(body: Parameters<typeof readAtMost>[0], contentRange: string | null, offset: number, length: number): Promise<Uint8Array> {
    const range = CONTENT_RANGE.exec(contentRange ?? '');
    if (!range || Number(range[1]) !== offset) {
      body.destroy();
      throw new RemoteError(`the server answered a range request with the wrong part of the file (${contentRange ?? 'no Content-Range'})`);
    }
    this.ranges = true;
    if (range[3] !== '*') this.fileSize = Number(range[3]);
    const { bytes } = await readAtMost(body, length, this.opts.signal);
    this.bytesRead += bytes.length;
    return bytes;
  }
}

/** Raw HTTP to the harness with full control of the headers (fetch will not let a test set Host). */
import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function rawRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; host?: string } = {},
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: opts.host ?? target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: opts.method ?? 'GET',
        headers: { host: target.host, ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The fetch metadata a browser sends when the harness's own page loads its <script>. */
export const OWN_PAGE_SCRIPT = { 'sec-fetch-site': 'same-origin', 'sec-fetch-dest': 'script', 'sec-fetch-mode': 'no-cors' };

/** Reads this run's secret the way only the page can: from the bridge script it was served. */
export async function bridgeSecret(harnessUrl: string): Promise<string> {
  const script = await rawRequest(new URL('/bridge.js', harnessUrl).href, { headers: OWN_PAGE_SCRIPT });
  const match = /\}\)\(("(?:[^"\\]|\\.)+")/.exec(script.body);
  if (!match?.[1]) throw new Error('no secret in bridge.js');
  return JSON.parse(match[1]) as string;
}

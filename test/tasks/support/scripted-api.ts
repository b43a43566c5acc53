/** A scripted HOSTKEY for the answers the local API never gives: login and info answer normally, everything else comes from `rest`. */
import { cannedServer, type Reply, type Seen } from '../../api/canned-server.js';

export async function scriptedApi(rest: (req: Seen) => Reply, closers: Array<() => Promise<void>>) {
  const server = await cannedServer((req) => {
    if (req.fields.action === 'login')
      return { json: { result: 'OK', token: 'tok-scripted-0000000000000000', token_expire: Math.floor(Date.now() / 1000) + 3600 } };
    if (req.fields.action === 'info')
      return { json: { result: { role: 'Customer', role_type: 'Customer', permissions: [], email: 'c@example.com', customer_id: 5 } } };
    return rest(req);
  });
  closers.push(server.close);
  return server;
}

export const checksIn = (seen: Seen[]) => seen.filter((s) => s.fields.action === 'check');

/** Loopback addresses for tests that need a host nobody answers on. */
import net from 'node:net';

/** A loopback port nobody listens on (bound, read, closed). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

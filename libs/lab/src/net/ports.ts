import { createServer } from 'node:net';

/**
 * Asks the kernel for a free loopback port by listening on port 0 and closing
 * again. Another process may grab it before our child binds it; callers that
 * spawn a process on it retry on a bind failure.
 */
export async function getFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not read the address of a port-0 listener');
  return address.port;
}

import { createServer } from 'node:net';

/** A local port nothing listens on: bound once to get a free number, then released. Stands for a service that is down. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  return address.port;
}

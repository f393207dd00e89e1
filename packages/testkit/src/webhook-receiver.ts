import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';

/** One POST the receiver got, with whether its Standard Webhooks signature checked out under the secret. */
export interface ReceivedWebhook {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
  verified: boolean;
  /** The status the receiver answered with. */
  answered: number;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

/**
 * The key bytes of a secret as Standard Webhooks defines them: base64 after `whsec_`, else the text itself. Written
 * here from the scheme's description, apart from the code under test, so that a mistake there shows.
 */
function keyOf(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret);
}

/** Whether one of the space-separated `v1,<base64>` signatures is the HMAC-SHA256 of "id.timestamp.body". */
export function verifyStandardWebhook(
  secret: string,
  headers: { id: string | undefined; timestamp: string | undefined; signature: string | undefined },
  body: string,
): boolean {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  const expected = createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest();
  return signature.split(' ').some((candidate) => {
    const [version, value] = candidate.split(',');
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * A real HTTP receiver on 127.0.0.1 that checks each POST's signature and answers `answer(n)` to the n-th (from 0):
 * 200 unless told otherwise, and 401 to a signature that does not verify. `port` puts it on a given port (one that
 * was closed until now, to stand for a receiver that was down).
 */
export async function startWebhookReceiver(options: {
  secret: string;
  port?: number;
  answer?: (index: number) => number;
}): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const signed = {
        id: header('webhook-id'),
        timestamp: header('webhook-timestamp'),
        signature: header('webhook-signature'),
      };
      const verified = verifyStandardWebhook(options.secret, signed, body);
      const answered = verified ? (options.answer?.(received.length) ?? 200) : 401;
      received.push({ ...signed, headers: request.headers, body, verified, answered });
      response.writeHead(answered, { 'content-type': 'text/plain' }).end(String(answered));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  return {
    url: `http://127.0.0.1:${address.port}/hooks/orders`,
    port: address.port,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

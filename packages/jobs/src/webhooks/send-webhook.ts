import { isAbortError, parseRetryAfter, transientNetworkReason } from '@onc-orders/http-retry';
import type { SignedHeaders } from './webhook-signer.js';

/** What one try came to: the receiver's answer, or why there was none. */
export type WebhookTry =
  { kind: 'answered'; status: number; retryAfterMs: number | undefined } | { kind: 'unanswered'; reason: string };

/**
 * POSTs one signed body and reads no more of the answer than its status. Redirects are not followed: the signature
 * was made for this receiver, and a 3xx is not the 2xx that ends the deliveries.
 */
export async function sendWebhook(
  url: string,
  body: string,
  headers: SignedHeaders,
  timeoutMs: number,
): Promise<WebhookTry> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'onc-orders-webhooks' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return {
      kind: 'answered',
      status: response.status,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after') ?? undefined),
    };
  } catch (error) {
    if (isAbortError(error)) return { kind: 'unanswered', reason: `no answer within ${timeoutMs} ms` };
    return { kind: 'unanswered', reason: transientNetworkReason(error) ?? describe(error) };
  }
}

/** An unrecognised failure's own words, without the URL (which undici does not put in its messages anyway). */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

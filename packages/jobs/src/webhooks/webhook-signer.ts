import { Webhook } from 'standardwebhooks';

/** The headers of one signed try, as Standard Webhooks names them. */
export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export type WebhookSigner = (webhookId: string, at: Date, body: string) => SignedHeaders;

/**
 * Signs tries with WEBHOOK_SECRET: `v1,` and the base64 HMAC-SHA256 of "id.timestamp.body". A `whsec_` secret is
 * Standard Webhooks' base64 form; any other is taken as raw bytes. The secret stays inside the returned function.
 */
export function webhookSigner(secret: string): WebhookSigner {
  const webhook = secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(secret, { format: 'raw' });
  return (webhookId, at, body) => ({
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': webhook.sign(webhookId, at, body),
  });
}

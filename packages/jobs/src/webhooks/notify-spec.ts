import { z } from 'zod';

/** The ends of an order a webhook can announce, named as Standard Webhooks event types. */
export const webhookEventTypes = ['order.completed', 'order.failed', 'order.cancelled'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/**
 * A receiver's address: http or https only, and no user or password in it, since the address is stored with the
 * order and shown in its view; a receiver that needs a credential can check the signature instead.
 */
export const webhookUrlSchema = z
  .string()
  .max(2_000)
  .url()
  .refine((value) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    return url === undefined || /^https?:$/.test(url.protocol);
  }, 'must be an http or https URL')
  .refine((value) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    return url === undefined || (url.username === '' && url.password === '');
  }, 'must not hold a user name or password: they would be stored with the order');

/** `notify` of an order spec, the same for every source. */
export const notifySchema = z
  .object({
    url: webhookUrlSchema.describe("where the order's end is POSTed, signed as Standard Webhooks says"),
    events: z
      .array(z.enum(webhookEventTypes))
      .min(1)
      .refine((events) => new Set(events).size === events.length, 'must not name an event twice')
      .default([...webhookEventTypes])
      .describe('the ends to announce; all three when left out'),
  })
  .strict()
  .describe('a webhook told when the order ends (WEBHOOK_URL is the default)');

export type NotifyTarget = z.output<typeof notifySchema>;

/** The stored `notify` column, or null for an order nobody is told about. */
export function parseStoredNotify(column: string | null): NotifyTarget | null {
  return column === null ? null : (JSON.parse(column) as NotifyTarget);
}

/** The event type announcing that an order reached `status`, when that status ends it. */
export function eventTypeFor(status: string): WebhookEventType | undefined {
  const type = `order.${status}`;
  return (webhookEventTypes as readonly string[]).includes(type) ? (type as WebhookEventType) : undefined;
}

import { randomUUID } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import { databaseNowMs } from '../db/database-clock.js';
import type { AppDatabase } from '../db/database.js';
import type { OrderRow } from '../db/schema.js';
import { tablesOf, type Tables } from '../db/tables.js';
import { eventTypeFor, parseStoredNotify, type WebhookEventType } from './notify-spec.js';

/** What a receiver learns of an order that ended: the summary, never its spec (which a source may fill with secrets). */
export interface WebhookOrderData {
  id: string;
  source: string;
  label: string | null;
  status: string;
  error: string | null;
  productCount: number;
  progress: {
    products: Record<string, number>;
    files: Record<string, number>;
    filesComplete: number;
    bytesDownloaded: number;
  };
  createdAt: string;
  finishedAt: string | null;
}

export interface WebhookBody {
  type: WebhookEventType;
  timestamp: string;
  data: WebhookOrderData;
}

async function countsBy(
  db: AppDatabase,
  table: Tables['products'] | Tables['files'],
  orderId: string,
): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: table.status, n: count() })
    .from(table)
    .where(eq(table.orderId, orderId))
    .groupBy(table.status);
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

async function orderData(db: AppDatabase, order: OrderRow): Promise<WebhookOrderData> {
  const { products, files } = tablesOf(db);
  const fileCounts = await countsBy(db, files, order.id);
  const productCounts = await countsBy(db, products, order.id);
  const [bytes] = await db
    .select({ total: sql<number>`coalesce(sum(${files.bytesDownloaded}), 0)`.mapWith(Number) })
    .from(files)
    .where(eq(files.orderId, order.id));
  return {
    id: order.id,
    source: order.source,
    label: order.label,
    status: order.status,
    error: order.errorMessage,
    productCount: order.productCount,
    progress: {
      products: productCounts,
      files: fileCounts,
      filesComplete: fileCounts['complete'] ?? 0,
      bytesDownloaded: bytes?.total ?? 0,
    },
    createdAt: new Date(order.createdAt).toISOString(),
    finishedAt: order.finishedAt ? new Date(order.finishedAt).toISOString() : null,
  };
}

/**
 * Puts the announcement of an order's end in the outbox, in the caller's transaction (the one that ends the order):
 * committed with the end or not at all. Nothing is queued for an order nobody is told about, or for an end its
 * `notify` does not ask for. The sender (webhook-sender.ts) takes it from there.
 */
export async function queueWebhookDelivery(tx: AppDatabase, orderId: string, status: string): Promise<void> {
  const { orders, events, webhookDeliveries } = tablesOf(tx);
  const type = eventTypeFor(status);
  if (!type) return;
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId));
  const target = parseStoredNotify(order?.notify ?? null);
  if (!order || !target || !target.events.includes(type)) return;
  const now = Date.now();
  const body: WebhookBody = { type, timestamp: new Date(now).toISOString(), data: await orderData(tx, order) };
  const webhookId = `msg_${randomUUID()}`;
  await tx.insert(webhookDeliveries).values({
    webhookId,
    orderId,
    eventType: type,
    url: target.url,
    payload: JSON.stringify(body),
    nextAttemptAt: databaseNowMs(tx),
  });
  await tx.insert(events).values({
    orderId,
    entity: 'order',
    entityId: orderId,
    kind: 'webhook',
    reason: `${type} delivery ${webhookId} to ${new URL(target.url).origin} queued`,
  });
}

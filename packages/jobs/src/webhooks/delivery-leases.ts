import { and, asc, eq, inArray, isNull, lte, lt, or } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { webhookDeliveries, type WebhookDeliveryRow } from '../db/schema.js';
import { inWriteTransaction } from '../db/write-transaction.js';

/**
 * Takes up to `limit` deliveries that are due and that no live worker holds, leased to `owner` for `leaseMs`: two
 * workers never send the same try at once, and a worker that dies mid-try leaves its lease to expire and another to
 * try again (at least once, never lost). Read and lease in one IMMEDIATE transaction, so no two claims overlap.
 */
export async function claimDueDeliveries(
  db: AppDatabase,
  owner: string,
  leaseMs: number,
  limit: number,
): Promise<WebhookDeliveryRow[]> {
  const now = Date.now();
  return inWriteTransaction(db, async (tx) => {
    const due = await tx
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.status, 'pending'),
          lte(webhookDeliveries.nextAttemptAt, now),
          or(isNull(webhookDeliveries.leaseOwner), lt(webhookDeliveries.leaseUntil, now)),
        ),
      )
      .orderBy(asc(webhookDeliveries.nextAttemptAt))
      .limit(limit);
    if (due.length === 0) return [];
    return tx
      .update(webhookDeliveries)
      .set({ leaseOwner: owner, leaseUntil: now + leaseMs, updatedAt: now })
      .where(
        inArray(
          webhookDeliveries.id,
          due.map((row) => row.id),
        ),
      )
      .returning();
  });
}

/** Whether `owner` still holds the delivery's lease: a try that outlived it is not recorded over another's. */
export async function holdsDeliveryLease(tx: AppDatabase, deliveryId: number, owner: string): Promise<boolean> {
  const [row] = await tx
    .select({ owner: webhookDeliveries.leaseOwner })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.id, deliveryId));
  return row?.owner === owner;
}

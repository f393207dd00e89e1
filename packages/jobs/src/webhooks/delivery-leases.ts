import { and, asc, eq, inArray, isNull, lte, lt, or, sql } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import type { WebhookDeliveryRow } from '../db/schema.js';
import { tablesOf } from '../db/tables.js';
import { databaseNowMs } from '../db/database-clock.js';
import { skipLockedRows } from '../db/skip-locked.js';
import { inWriteTransaction } from '../db/write-transaction.js';

/**
 * Takes up to `limit` deliveries that are due and that no live worker holds, leased to `owner` for `leaseMs`: two
 * workers never send the same try at once, and a worker that dies mid-try leaves its lease to expire and another to
 * try again (at least once, never lost). Read and lease in one transaction, so no two claims overlap: IMMEDIATE on
 * SQLite; on PostgreSQL the due rows are locked as they are read, and a claim passes over another's. Due and expired
 * are judged on the database's clock.
 */
export async function claimDueDeliveries(
  db: AppDatabase,
  owner: string,
  leaseMs: number,
  limit: number,
): Promise<WebhookDeliveryRow[]> {
  const { webhookDeliveries } = tablesOf(db);
  return inWriteTransaction(db, async (tx) => {
    const now = databaseNowMs(tx);
    const dueRows = tx
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
    const due = await skipLockedRows(tx, dueRows);
    if (due.length === 0) return [];
    return tx
      .update(webhookDeliveries)
      .set({ leaseOwner: owner, leaseUntil: sql`${now} + ${leaseMs}`, updatedAt: now })
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
  const { webhookDeliveries } = tablesOf(tx);
  const [row] = await tx
    .select({ owner: webhookDeliveries.leaseOwner })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.id, deliveryId));
  return row?.owner === owner;
}

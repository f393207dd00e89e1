import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { databaseNowMs } from '../db/database-clock.js';
import { prepared } from '../db/prepared.js';
import { tablesOf } from '../db/tables.js';
import { inWriteTransaction } from '../db/write-transaction.js';

export type LeasedTable = 'products' | 'files';

function claimStatement(db: AppDatabase, table: LeasedTable) {
  return prepared(db, `claimLease:${table}`, () => {
    const target = tablesOf(db)[table];
    const now = databaseNowMs(db);
    return db
      .update(target)
      .set({ leaseOwner: sql`${sql.placeholder('owner')}`, leaseUntil: sql`${now} + ${sql.placeholder('ttlMs')}` })
      .where(
        and(
          eq(target.id, sql.placeholder('id')),
          or(isNull(target.leaseOwner), eq(target.leaseOwner, sql.placeholder('owner')), lt(target.leaseUntil, now)),
        ),
      )
      .returning({ id: target.id });
  });
}

function releaseStatement(db: AppDatabase, table: LeasedTable) {
  return prepared(db, `releaseLease:${table}`, () => {
    const target = tablesOf(db)[table];
    return db
      .update(target)
      .set({ leaseOwner: null, leaseUntil: null })
      .where(and(eq(target.id, sql.placeholder('id')), eq(target.leaseOwner, sql.placeholder('owner'))));
  });
}

/**
 * Takes (or renews) the lease on a product or file row for `ttlMs`. Returns false while another live job run holds
 * it. Expired leases (their worker died) are taken over. One conditional UPDATE, timed on the database's clock: the
 * hosts that race for a lease may disagree about the time, never about the database's.
 */
export async function claimLease(
  db: AppDatabase,
  table: LeasedTable,
  id: number,
  owner: string,
  ttlMs: number,
): Promise<boolean> {
  const claimed = await inWriteTransaction(db, (tx) => claimStatement(tx, table).execute({ owner, ttlMs, id }));
  return claimed.length === 1;
}

function holderStatement(db: AppDatabase, table: LeasedTable) {
  return prepared(db, `leaseHolder:${table}`, () => {
    const target = tablesOf(db)[table];
    return db
      .select({ owner: target.leaseOwner })
      .from(target)
      .where(eq(target.id, sql.placeholder('id')));
  });
}

/**
 * Ends the lease if `owner` still holds it. The last write of a job often ended it already (a file recorded complete
 * drops its lease); looking first spares a write, and with it a turn at the database's one write lock.
 */
export async function releaseLease(db: AppDatabase, table: LeasedTable, id: number, owner: string): Promise<void> {
  const [holder] = await holderStatement(db, table).execute({ id });
  if (holder?.owner !== owner) return;
  await inWriteTransaction(db, (tx) => releaseStatement(tx, table).execute({ id, owner }));
}

/**
 * Columns that end a job's lease in the job's own last write on its row (a transition's patch). After that write the
 * job only queues the next step, and ending the lease there spares a separate write for the release.
 */
export const leaseEnded = { leaseOwner: null, leaseUntil: null } as const;

import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import { files, products } from '../db/schema.js';
import { inWriteTransaction } from '../db/write-transaction.js';

export type LeasedTable = 'products' | 'files';

const tables = { products, files };

function claimStatement(db: AppDatabase, table: LeasedTable) {
  return prepared(db, `claimLease:${table}`, () => {
    const target = tables[table];
    return db
      .update(target)
      .set({ leaseOwner: sql`${sql.placeholder('owner')}`, leaseUntil: sql`${sql.placeholder('until')}` })
      .where(
        and(
          eq(target.id, sql.placeholder('id')),
          or(
            isNull(target.leaseOwner),
            eq(target.leaseOwner, sql.placeholder('owner')),
            lt(target.leaseUntil, sql.placeholder('now')),
          ),
        ),
      )
      .prepare();
  });
}

function releaseStatement(db: AppDatabase, table: LeasedTable) {
  return prepared(db, `releaseLease:${table}`, () => {
    const target = tables[table];
    return db
      .update(target)
      .set({ leaseOwner: null, leaseUntil: null })
      .where(and(eq(target.id, sql.placeholder('id')), eq(target.leaseOwner, sql.placeholder('owner'))))
      .prepare();
  });
}

/**
 * Takes (or renews) the lease on a product or file row for `ttlMs`. Returns false while another live job run holds
 * it. Expired leases (their worker died) are taken over.
 */
export async function claimLease(
  db: AppDatabase,
  table: LeasedTable,
  id: number,
  owner: string,
  ttlMs: number,
): Promise<boolean> {
  const now = Date.now();
  const result = await inWriteTransaction(db, (tx) =>
    claimStatement(tx, table).execute({ owner, until: now + ttlMs, id, now }),
  );
  return result.changes === 1;
}

function holderStatement(db: AppDatabase, table: LeasedTable) {
  return prepared(db, `leaseHolder:${table}`, () => {
    const target = tables[table];
    return db
      .select({ owner: target.leaseOwner })
      .from(target)
      .where(eq(target.id, sql.placeholder('id')))
      .prepare();
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

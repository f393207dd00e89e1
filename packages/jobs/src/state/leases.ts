import { sql } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';

export type LeasedTable = 'products' | 'files';

/**
 * Takes (or renews) the lease on a product or file row for `ttlMs`. Returns false while another live job run holds
 * it. Expired leases (their worker died) are taken over.
 */
export function claimLease(db: AppDatabase, table: LeasedTable, id: number, owner: string, ttlMs: number): boolean {
  const now = Date.now();
  const result = db.run(
    sql`UPDATE ${sql.identifier(table)} SET lease_owner = ${owner}, lease_until = ${now + ttlMs}
        WHERE id = ${id} AND (lease_owner IS NULL OR lease_owner = ${owner} OR lease_until < ${now})`,
  );
  return result.changes === 1;
}

export function releaseLease(db: AppDatabase, table: LeasedTable, id: number, owner: string): void {
  db.run(
    sql`UPDATE ${sql.identifier(table)} SET lease_owner = NULL, lease_until = NULL WHERE id = ${id} AND lease_owner = ${owner}`,
  );
}

import type { RunInfo } from '@onc-orders/onc-client';
import { and, eq } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { findOrder, runsOfProduct } from '../db/repository.js';
import { files, runs, type ProductRow } from '../db/schema.js';
import { leaseEnded } from '../state/leases.js';
import { transitionProduct } from '../state/transition.js';
import { inWriteTransaction } from '../db/write-transaction.js';

/**
 * Saves ONC's runs of a product, matched by their position in ONC's answer. A re-ordered product gets new dpRunIds
 * for the same positions, so its files (keyed by position and index) carry over.
 */
export function recordRuns(db: AppDatabase, productId: number, oncRuns: readonly RunInfo[]): void {
  inWriteTransaction(db, (tx) => {
    oncRuns.forEach((run, ordinal) => {
      const values = {
        dpRunId: run.dpRunId,
        status: run.status,
        fileCount: run.fileCount ?? null,
        updatedAt: Date.now(),
      };
      const existing = tx
        .select({ id: runs.id, fileCount: runs.fileCount, dpRunId: runs.dpRunId })
        .from(runs)
        .where(and(eq(runs.productId, productId), eq(runs.ordinal, ordinal)))
        .get();
      if (!existing) {
        tx.insert(runs)
          .values({ productId, ordinal, ...values })
          .run();
        return;
      }
      // `status` reports no file count: keep the one `run` gave for the same run.
      const fileCount = run.fileCount ?? (existing.dpRunId === run.dpRunId ? existing.fileCount : null);
      tx.update(runs)
        .set({ ...values, fileCount })
        .where(eq(runs.id, existing.id))
        .run();
    });
  });
}

/**
 * Every run is complete: create a row per expected file (all indices when ONC told the count, otherwise index 1, and
 * each success adds the next until ONC answers 204/404), plus the metadata file, and move the product to downloading,
 * in one transaction. Files already complete (a re-ordered product) are left alone.
 */
export function createFilesAndStartDownloading(db: AppDatabase, product: ProductRow, reason: string): void {
  const order = findOrder(db, product.orderId);
  if (!order) return;
  inWriteTransaction(db, (tx) => {
    for (const run of runsOfProduct(tx, product.id)) {
      const indices: string[] = [];
      const count = run.fileCount ?? 0;
      for (let index = 1; index <= Math.max(1, count); index += 1) indices.push(String(index));
      if (order.includeMetadataFile) indices.push('meta');
      for (const fileIndex of indices) {
        tx.insert(files)
          .values({
            orderId: product.orderId,
            productId: product.id,
            runOrdinal: run.ordinal,
            fileIndex,
            status: 'pending',
          })
          .onConflictDoNothing()
          .run();
      }
    }
    // Only the run or poll job holding the product's lease comes here, and this is its last write on the product.
    transitionProduct(tx, product.id, 'downloading', {
      reason,
      onlyFrom: ['requested', 'running'],
      patch: leaseEnded,
    });
  });
}

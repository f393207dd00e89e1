import type { AppDatabase } from '../db/database.js';
import { insertListedFiles } from '../db/insert-listed-file.js';
import type { ProductRow } from '../db/schema.js';
import type { ListedFile } from '../sources/source-port.js';

/** Creates a pending row for every listed file the order does not have yet (re-ordered products keep theirs). */
export async function recordListedFiles(
  db: AppDatabase,
  product: Pick<ProductRow, 'id' | 'orderId'>,
  listed: ReadonlyArray<ListedFile<unknown>>,
): Promise<void> {
  await insertListedFiles(
    db,
    listed.map((file) => ({ orderId: product.orderId, productId: product.id, ...file })),
  );
}

import { schema, type AppDatabase } from '../../src/index.js';
import { inWriteTransaction } from '../../src/db/write-transaction.js';

type OrderValues = typeof schema.orders.$inferInsert;
type ProductValues = typeof schema.products.$inferInsert;
type FileValues = typeof schema.files.$inferInsert;

/**
 * Order `o1` with its products and files, written in one transaction: the scene the state tests start from. Products
 * get their ordinal from their place; a product or file needs only what the test is about.
 */
export async function seedOrder(
  db: AppDatabase,
  order: Pick<OrderValues, 'status'>,
  products: ReadonlyArray<Omit<ProductValues, 'orderId' | 'ordinal' | 'params'>>,
  files: ReadonlyArray<Omit<FileValues, 'orderId'>> = [],
): Promise<void> {
  await inWriteTransaction(db, async (tx) => {
    await tx
      .insert(schema.orders)
      .values({ id: 'o1', spec: '{}', submittedSpec: '{}', productCount: products.length, ...order });
    if (products.length > 0)
      await tx
        .insert(schema.products)
        .values(products.map((product, ordinal) => ({ orderId: 'o1', ordinal, params: '{}', ...product })));
    if (files.length > 0) await tx.insert(schema.files).values(files.map((file) => ({ orderId: 'o1', ...file })));
  });
}

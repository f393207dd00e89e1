import type { FileRow, OrderRow, ProductRow } from '../db/schema.js';
import type { FileSnapshot, ProductSnapshot } from './source-port.js';

/**
 * What a source is handed, read from the rows. The JSON columns are written only from a source's own values, so
 * reading them back yields that source's types.
 */
export function productSnapshot(
  order: Pick<OrderRow, 'spec'>,
  product: ProductRow,
): ProductSnapshot<unknown, unknown, unknown> {
  return {
    id: product.id,
    orderId: product.orderId,
    ordinal: product.ordinal,
    params: JSON.parse(product.params) as unknown,
    state: JSON.parse(product.state) as unknown,
    reorders: product.reorders,
    spec: JSON.parse(order.spec) as unknown,
  };
}

export function fileSnapshot(file: FileRow): FileSnapshot<unknown> {
  return { id: file.id, ref: file.ref, meta: JSON.parse(file.meta) as unknown, attempts: file.attempts };
}

import type { FileRow, ProductRow } from '../db/schema.js';
import type { AnySource } from '../sources/source-port.js';

/** A product as an operator reads it on the dashboard: what its source says it is, and which order it belongs to. */
export function productTitle(source: AnySource, product: Pick<ProductRow, 'params' | 'orderId' | 'ordinal'>): string {
  const what = source.view.productTitle(JSON.parse(product.params) as unknown);
  return `${what} [order ${product.orderId.slice(0, 8)} #${product.ordinal}]`;
}

export function fileTitle(
  source: AnySource,
  product: Pick<ProductRow, 'params' | 'orderId' | 'ordinal'>,
  file: Pick<FileRow, 'meta'>,
): string {
  return `${productTitle(source, product)} ${source.view.fileTitle(JSON.parse(file.meta) as unknown)}`;
}

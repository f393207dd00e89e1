import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppDatabase } from '../db/database.js';
import { filesOfOrder, filtersOf, findOrder, productsOfOrder, runsOfProduct } from '../db/repository.js';

export interface ManifestFile {
  path: string;
  product: number;
  dpRequestId: number | null;
  dpRunId: number | null;
  index: string;
  size: number;
  sha256: string;
}

/** Builds the manifest of an order: every file on disk with the product, run and index it came from. */
export function buildManifest(db: AppDatabase, orderId: string) {
  const order = findOrder(db, orderId);
  if (!order) throw new Error(`order ${orderId} not found`);
  const orderProducts = productsOfOrder(db, orderId);
  const runIds = new Map<string, number>();
  for (const product of orderProducts) {
    for (const run of runsOfProduct(db, product.id)) runIds.set(`${product.id}/${run.ordinal}`, run.dpRunId);
  }
  const byId = new Map(orderProducts.map((product) => [product.id, product]));
  const manifestFiles: ManifestFile[] = filesOfOrder(db, orderId)
    .filter((file) => file.status === 'complete' && file.relativePath && file.sha256 && file.size !== null)
    .map((file) => ({
      path: file.relativePath ?? '',
      product: byId.get(file.productId)?.ordinal ?? -1,
      dpRequestId: byId.get(file.productId)?.dpRequestId ?? null,
      dpRunId: file.dpRunId ?? runIds.get(`${file.productId}/${file.runOrdinal}`) ?? null,
      index: file.fileIndex,
      size: file.size ?? 0,
      sha256: file.sha256 ?? '',
    }));
  return {
    orderId,
    label: order.label,
    createdAt: new Date(order.createdAt).toISOString(),
    products: orderProducts.map((product) => ({
      product: product.ordinal,
      filters: filtersOf(product),
      status: product.status,
      dpRequestId: product.dpRequestId,
      ...(product.errorMessage
        ? { error: { code: product.errorCode, parameter: product.errorParameter, message: product.errorMessage } }
        : {}),
    })),
    files: manifestFiles,
  };
}

/** Writes `manifest.json` into the order's folder atomically (temporary file, fsync, rename). */
export async function writeManifest(
  db: AppDatabase,
  downloadDir: string,
  orderId: string,
  status: string,
): Promise<string> {
  const manifest = { ...buildManifest(db, orderId), status, writtenAt: new Date().toISOString() };
  const folder = join(downloadDir, orderId);
  const finalPath = join(folder, 'manifest.json');
  const tempPath = join(folder, '.manifest.json.part');
  const handle = await open(tempPath, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(manifest, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tempPath, finalPath);
  return finalPath;
}

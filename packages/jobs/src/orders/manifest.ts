import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppDatabase } from '../db/database.js';
import { filesOfOrder, findOrder, productsOfOrder } from '../db/repository.js';
import type { SourceRegistry } from '../sources/source-registry.js';

/**
 * Builds the manifest of an order: every product with what its source says of it, and every file on disk with the
 * product it came from, its size and sha256, and its source's own fields (ONC: dpRequestId, dpRunId, index).
 */
export async function buildManifest(db: AppDatabase, sources: SourceRegistry, orderId: string) {
  const order = await findOrder(db, orderId);
  if (!order) throw new Error(`order ${orderId} not found`);
  const view = sources.viewOf(order.source);
  const orderProducts = await productsOfOrder(db, orderId);
  const parsed = new Map(
    orderProducts.map((product) => [
      product.id,
      { product, params: JSON.parse(product.params) as unknown, state: JSON.parse(product.state) as unknown },
    ]),
  );
  const manifestFiles = (await filesOfOrder(db, orderId))
    .filter((file) => file.status === 'complete' && file.relativePath && file.sha256 && file.size !== null)
    .map((file) => {
      const owner = parsed.get(file.productId);
      const fields = owner ? view?.manifestFile(JSON.parse(file.meta) as unknown, owner.params, owner.state) : {};
      return {
        path: file.relativePath ?? '',
        product: owner?.product.ordinal ?? -1,
        ...fields,
        size: file.size ?? 0,
        sha256: file.sha256 ?? '',
        ...(file.rows !== null ? { rows: file.rows } : {}),
      };
    });
  return {
    orderId,
    source: order.source,
    label: order.label,
    createdAt: new Date(order.createdAt).toISOString(),
    products: [...parsed.values()].map(({ product, params, state }) => ({
      product: product.ordinal,
      status: view?.productStatus?.(product.status, state) ?? product.status,
      ...view?.product(params, state, { note: product.note }),
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
  sources: SourceRegistry,
  downloadDir: string,
  orderId: string,
  status: string,
): Promise<string> {
  const manifest = { ...(await buildManifest(db, sources, orderId)), status, writtenAt: new Date().toISOString() };
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

import { SingleBar } from 'cli-progress';
import type { ApiClient, OrderProgressView } from './api-client.js';

const finished = new Set(['completed', 'failed', 'cancelled']);

function describeProducts(view: OrderProgressView): string {
  return Object.entries(view.progress.products)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
}

/** Files that have ended one way or another (on disk, absent at ONC, failed): the bar's progress. */
function filesDone(view: OrderProgressView): number {
  const files = view.progress.files;
  return view.progress.filesTotal - (files['pending'] ?? 0) - (files['downloading'] ?? 0);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * Shows an order's progress as a bar of files on disk (the total grows as ONC tells how many files each product has)
 * until the order ends; returns its final view.
 */
export async function watchOrder(
  api: ApiClient,
  orderId: string,
  options: { intervalMs?: number; interactive?: boolean } = {},
) {
  const interactive = options.interactive ?? Boolean(process.stdout.isTTY);
  const bar = new SingleBar({
    format: 'files {bar} {value}/{total} | products: {products} | {bytes} | {status}',
    hideCursor: true,
    noTTYOutput: !interactive,
    notTTYSchedule: 2_000,
  });
  let view = await api.order(orderId);
  bar.start(Math.max(1, view.progress.filesTotal), filesDone(view), {
    products: describeProducts(view),
    bytes: megabytes(view.progress.bytesDownloaded),
    status: view.status,
  });
  while (!finished.has(view.status)) {
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1_000));
    view = await api.order(orderId);
    bar.setTotal(Math.max(1, view.progress.filesTotal));
    bar.update(filesDone(view), {
      products: describeProducts(view),
      bytes: megabytes(view.progress.bytesDownloaded),
      status: view.status,
    });
  }
  bar.stop();
  return view;
}

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
 * Shows an order's progress as a bar of files that have ended (the total grows as ONC tells how many files each
 * product has), with how many of them are on disk: a run whose file count ONC did not tell ends with a look past its
 * last file, which ends without a file. Runs until the order ends; returns its final view.
 */
export async function watchOrder(
  api: ApiClient,
  orderId: string,
  options: { intervalMs?: number; interactive?: boolean } = {},
) {
  const interactive = options.interactive ?? Boolean(process.stdout.isTTY);
  const bar = new SingleBar({
    format: 'files {bar} {value}/{total} ended, {onDisk} on disk | products: {products} | {bytes} | {status}',
    hideCursor: true,
    noTTYOutput: !interactive,
    notTTYSchedule: 2_000,
  });
  let view = await api.order(orderId);
  bar.start(Math.max(1, view.progress.filesTotal), filesDone(view), {
    onDisk: view.progress.filesComplete,
    products: describeProducts(view),
    bytes: megabytes(view.progress.bytesDownloaded),
    status: view.status,
  });
  while (!finished.has(view.status)) {
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1_000));
    view = await api.order(orderId);
    bar.setTotal(Math.max(1, view.progress.filesTotal));
    bar.update(filesDone(view), {
      onDisk: view.progress.filesComplete,
      products: describeProducts(view),
      bytes: megabytes(view.progress.bytesDownloaded),
      status: view.status,
    });
  }
  bar.stop();
  return view;
}

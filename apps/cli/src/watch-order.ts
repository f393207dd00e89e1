import { SingleBar } from 'cli-progress';
import type { ApiClient, OrderProgressView } from './api-client.js';

const finished = new Set(['completed', 'failed', 'cancelled']);

function describeProducts(view: OrderProgressView): string {
  return Object.entries(view.progress.products)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
}

/** Real files that have ended one way or another (on disk, failed, cancelled): the bar's progress. */
function filesDone(view: OrderProgressView): number {
  const files = view.progress.files;
  return view.progress.filesTotal - (files['pending'] ?? 0) - (files['downloading'] ?? 0);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Bytes done (of those expected, when known), the pace over the last minute, and the time left at that pace. */
function describeBytes(view: OrderProgressView): string {
  const { bytesDownloaded, bytesExpected, rate, etaSeconds } = view.progress;
  const done =
    bytesExpected !== null
      ? `${megabytes(bytesDownloaded)} of ${megabytes(bytesExpected)}`
      : megabytes(bytesDownloaded);
  const pace = rate.bytesPerSecond > 0 ? `, ${megabytes(rate.bytesPerSecond)}/s` : '';
  const left = etaSeconds !== null && etaSeconds > 0 ? `, about ${formatDuration(etaSeconds)} left` : '';
  return `${done}${pace}${left}`;
}

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5_400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3_600).toFixed(1)} h`;
}

function barFields(view: OrderProgressView) {
  return {
    onDisk: view.progress.filesComplete,
    products: describeProducts(view),
    bytes: describeBytes(view),
    status: view.status,
  };
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
  // Polled without its products: the progress is all the bar needs, and it stays small for a 10,000-product order.
  let view = await api.order(orderId, { productLimit: 0 });
  bar.start(Math.max(1, view.progress.filesTotal), filesDone(view), barFields(view));
  while (!finished.has(view.status)) {
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1_000));
    view = await api.order(orderId, { productLimit: 0 });
    bar.setTotal(Math.max(1, view.progress.filesTotal));
    bar.update(filesDone(view), barFields(view));
  }
  bar.stop();
  return api.order(orderId);
}

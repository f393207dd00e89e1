import type { OrderEvent, OrderSummary, ProductView } from '@onc-orders/jobs';
import type { OrderProgressView } from './api-client.js';

function errorText(error: ProductView['error']): string {
  if (!error) return '';
  const code = error.code !== null ? `${error.code} ` : '';
  const parameter = error.parameter ? ` (${error.parameter})` : '';
  return `${code}${error.message}${parameter}`;
}

/** An order's outcome: its status, files on disk, and each failed product with the service's words. */
export function formatOutcome(view: OrderProgressView): string {
  const lines = [`order ${view.id}: ${view.status} (${view.progress.filesComplete} files on disk)`];
  if (view.error) lines.push(`  ${view.error}`);
  for (const product of view.products.filter((each) => each.status === 'failed')) {
    lines.push(`  product ${product.ordinal} failed: ${errorText(product.error)}`);
  }
  return `${lines.join('\n')}\n`;
}

function progressLine(summary: OrderSummary): string {
  const { filesComplete, filesTotal, bytesDownloaded } = summary.progress;
  return `${filesComplete}/${filesTotal} files, ${(bytesDownloaded / 1e6).toFixed(1)} MB`;
}

/** One line per order, newest first. */
export function formatList(items: readonly OrderSummary[], total: number): string {
  const lines = items.map(
    (order) =>
      `${order.id}  ${order.status.padEnd(9)}  ${order.source.padEnd(17)}  ${progressLine(order)}  ${order.label ?? ''}`,
  );
  lines.push(`${items.length} of ${total} order(s)`);
  return `${lines.join('\n')}\n`;
}

/** An order's summary and each product's status, error and file count. */
export function formatShow(view: OrderProgressView): string {
  const { progress } = view;
  const products = Object.entries(progress.products)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
  const lines = [
    `order ${view.id} (${view.source})${view.label ? ` "${view.label}"` : ''}: ${view.status}`,
    `  created ${view.createdAt}${view.finishedAt ? `, finished ${view.finishedAt}` : ''}`,
    `  products: ${view.productCount} (${products})`,
    `  files: ${progress.filesComplete} of ${progress.filesTotal} on disk, ${(progress.bytesDownloaded / 1e6).toFixed(1)} MB` +
      (progress.bytesExpected !== null ? ` of ${(progress.bytesExpected / 1e6).toFixed(1)} MB` : ''),
    ...(view.error ? [`  error: ${view.error}`] : []),
  ];
  for (const product of view.products) {
    const done = product.files.filter((file) => file.status === 'complete').length;
    const error = product.error ? `: ${errorText(product.error)}` : '';
    lines.push(`  #${product.ordinal} ${product.status}, ${done}/${product.files.length} files${error}`);
  }
  if (view.productsShown < view.productCount) {
    lines.push(`  … ${view.productCount - view.productsShown} more product(s); see \`files\` for every file`);
  }
  return `${lines.join('\n')}\n`;
}

/** One line per file: status, size, sha256 and path. */
export function formatFiles(products: ReadonlyArray<ProductView>): string {
  const lines: string[] = [];
  for (const product of products) {
    for (const file of product.files) {
      const size = file.size !== null ? String(file.size) : '-';
      lines.push(
        `#${product.ordinal}  ${file.status.padEnd(11)}  ${size.padStart(12)}  ${file.sha256 ?? '-'.padEnd(64)}  ${file.path ?? file.ref}`,
      );
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : 'no files yet\n';
}

/** The history, oldest first: when, what, and why. */
export function formatEvents(events: readonly OrderEvent[]): string {
  return events
    .map((event) => {
      const subject =
        event.entity === 'order'
          ? 'order'
          : event.entity === 'product'
            ? `product #${event.product ?? event.entityId}`
            : `file ${event.file ?? event.entityId}`;
      const change = event.to ? ` ${event.from ?? '∅'} → ${event.to}` : ` ${event.kind}`;
      return `${event.at}  ${subject}${change}${event.reason ? `: ${event.reason}` : ''}\n`;
    })
    .join('');
}

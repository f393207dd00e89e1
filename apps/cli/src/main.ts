#!/usr/bin/env node
import { Command } from 'commander';
import { ApiClient, ApiUnreachableError, type OrderProgressView } from './api-client.js';
import { formatCheck } from './format-check.js';
import { formatEvents, formatFiles, formatList, formatOutcome, formatShow } from './format-order.js';
import { readSpec } from './read-spec.js';
import { watchOrder } from './watch-order.js';

/** Exit codes (see the README): 0 done, 1 the order did not complete or the check refused, 2 the API said no, 3 it did not answer. */
const exitCodes = { notCompleted: 1, apiError: 2, unreachable: 3 } as const;

function report(view: OrderProgressView): void {
  process.stdout.write(formatOutcome(view));
}

/** Waits for the order to end and reports it; the exit code says whether it completed. */
async function waitAndReport(client: ApiClient, orderId: string): Promise<void> {
  const final = await watchOrder(client, orderId);
  report(final);
  if (final.status !== 'completed') process.exitCode = exitCodes.notCompleted;
}

const program = new Command('onc-orders')
  .description('Check, submit and watch bulk data orders (ONC, DataStream, WebCOOS) through the orchestrator API')
  .option('--api <url>', 'API address (env ONC_ORDERS_API)', process.env['ONC_ORDERS_API'] ?? 'http://127.0.0.1:3000')
  .option(
    '--api-key <key>',
    'bearer key when the API has API_KEYS set (env ONC_ORDERS_API_KEY)',
    process.env['ONC_ORDERS_API_KEY'],
  );

function api(): ApiClient {
  const { api: url, apiKey } = program.opts<{ api: string; apiKey?: string }>();
  return new ApiClient(url, apiKey);
}

program
  .command('submit')
  .description('submit an order spec (a JSON file, or - for standard input)')
  .argument('<spec>', 'path to the order spec JSON, or -')
  .option('--idempotency-key <key>', 'repeat-safe submission: the same key returns the same order')
  .option('--wait', 'show progress until the order ends; exit 1 unless it completed')
  .action(async (source: string, options: { idempotencyKey?: string; wait?: boolean }) => {
    const order = await api().submit(await readSpec(source), options.idempotencyKey);
    process.stdout.write(`order ${order.id} accepted: ${order.productCount} product(s)\n`);
    if (options.wait) await waitAndReport(api(), order.id);
  });

program
  .command('check')
  .description("check an order spec against its service's catalogue without ordering anything; exit 1 if refused")
  .argument('<spec>', 'path to the order spec JSON, or -')
  .action(async (source: string) => {
    const check = await api().check(await readSpec(source));
    process.stdout.write(formatCheck(check));
    if (check.combinations.some((combination) => combination.verdict === 'refused')) {
      process.exitCode = exitCodes.notCompleted;
    }
  });

program
  .command('watch')
  .description("show an order's progress until it ends")
  .argument('<orderId>')
  .action((orderId: string) => waitAndReport(api(), orderId));

program
  .command('list')
  .description('list orders, newest first, with their progress')
  .option('--status <status>', 'only orders in this status (queued, running, completed, failed, cancelled)')
  .option('--limit <n>', 'at most this many', '50')
  .action(async (options: { status?: string; limit: string }) => {
    const page = await api().list({
      ...(options.status ? { status: options.status } : {}),
      limit: Number(options.limit),
    });
    process.stdout.write(formatList(page.items, page.total));
  });

program
  .command('show')
  .description("show an order: its progress, and each product's status, error and files")
  .argument('<orderId>')
  .action(async (orderId: string) => {
    process.stdout.write(formatShow(await api().order(orderId)));
  });

program
  .command('events')
  .description("print an order's history, oldest first")
  .argument('<orderId>')
  .action(async (orderId: string) => {
    process.stdout.write(formatEvents(await api().events(orderId)));
  });

program
  .command('files')
  .description('list every file of an order: status, size, sha256 and path under DOWNLOAD_DIR')
  .argument('<orderId>')
  .action(async (orderId: string) => {
    process.stdout.write(formatFiles(await api().products(orderId)));
  });

program
  .command('cancel')
  .description('stop an order everywhere; complete files stay')
  .argument('<orderId>')
  .action(async (orderId: string) => report(await api().cancel(orderId)));

program
  .command('restart')
  .description('resume a cancelled or failed order, fetching only what is missing')
  .argument('<orderId>')
  .option('--keep-files-on-onc', 'ONC data products: restart with deleteFile false')
  .option('--wait', 'show progress until the order ends; exit 1 unless it completed')
  .action(async (orderId: string, options: { keepFilesOnOnc?: boolean; wait?: boolean }) => {
    const client = api();
    const view = await client.restart(orderId, options.keepFilesOnOnc ? false : undefined);
    if (options.wait) await waitAndReport(client, orderId);
    else report(view);
  });

program.parseAsync().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`onc-orders: ${message}\n`);
  process.exit(error instanceof ApiUnreachableError ? exitCodes.unreachable : exitCodes.apiError);
});

#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { ApiClient, ApiError, type OrderProgressView } from './api-client.js';
import { formatCheck } from './format-check.js';
import { watchOrder } from './watch-order.js';

async function readSpec(source: string): Promise<unknown> {
  const text = source === '-' ? await readStdin() : await readFile(source, 'utf8');
  return JSON.parse(text) as unknown;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function report(view: OrderProgressView): void {
  const failed = view.products.filter((product) => product.status === 'failed');
  process.stdout.write(`order ${view.id}: ${view.status} (${view.progress.filesComplete} files on disk)\n`);
  for (const product of failed) {
    const error = product.error;
    process.stdout.write(
      `  product ${product.ordinal} failed: ${error?.code ? `ONC ${error.code} ` : ''}${error?.message ?? ''}${error?.parameter ? ` (${error.parameter})` : ''}\n`,
    );
  }
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
    if (!options.wait) return;
    const final = await watchOrder(api(), order.id);
    report(final);
    if (final.status !== 'completed') process.exitCode = 1;
  });

program
  .command('check')
  .description("check an order spec against its service's catalogue without ordering anything; exit 1 if refused")
  .argument('<spec>', 'path to the order spec JSON, or -')
  .action(async (source: string) => {
    const check = await api().check(await readSpec(source));
    process.stdout.write(formatCheck(check));
    if (check.combinations.some((combination) => combination.verdict === 'refused')) process.exitCode = 1;
  });

program
  .command('watch')
  .description("show an order's progress until it ends")
  .argument('<orderId>')
  .action(async (orderId: string) => {
    const final = await watchOrder(api(), orderId);
    report(final);
    if (final.status !== 'completed') process.exitCode = 1;
  });

program
  .command('cancel')
  .argument('<orderId>')
  .action(async (orderId: string) => report(await api().cancel(orderId)));

program
  .command('restart')
  .argument('<orderId>')
  .option('--keep-files-on-onc', 'restart with deleteFile false')
  .action(async (orderId: string, options: { keepFilesOnOnc?: boolean }) =>
    report(await api().restart(orderId, options.keepFilesOnOnc ? false : undefined)),
  );

program.parseAsync().catch((error: unknown) => {
  const message = error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
  process.stderr.write(`onc-orders: ${message}\n`);
  process.exit(2);
});

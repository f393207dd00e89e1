import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inWriteTransaction, schema, type OrderView } from '@onc-orders/jobs';
import { makeTempDir } from '@onc-orders/testkit';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inlineOrderReads } from '../src/reads/inline-order-reads.js';
import type { OrderReads, ReadRequest } from '../src/reads/order-reads.js';
import { startReadThreads } from '../src/reads/read-threads.js';
import { sixProductSpec } from './support/order-specs.js';
import { startTestApi, type TestApi } from './support/test-api.js';
import { rawRows } from '@onc-orders/testkit';

/**
 * A worker thread runs JavaScript, so these tests start the built thread (`apps/api/dist/reads/read-thread.js`, made
 * by `pnpm build`), as the API does, without vitest's `--conditions` flag: with it, the thread would import the
 * packages' TypeScript sources.
 */
const builtThread = { script: new URL('../dist/reads/read-thread.js', import.meta.url), execArgv: [] };
const silent = pino({ level: 'silent' });

describe('read threads', () => {
  let api: TestApi;
  let threads: OrderReads | undefined;
  let orderId: string;

  beforeEach(async () => {
    api = await startTestApi();
    orderId = (await api.app.inject({ method: 'POST', url: '/orders', payload: sixProductSpec() })).json<OrderView>()
      .id;
  });
  afterEach(async () => {
    await threads?.close();
    threads = undefined;
    await api.close();
  });

  /** A file of product `ordinal`, as the pipeline would have recorded it. */
  const addFile = async (ordinal: number, ref: string) => {
    const [product] = await rawRows<{ id: number }>(
      api.database,
      'select id from products where order_id = ? and ordinal = ?',
      orderId,
      ordinal,
    );
    if (!product) throw new Error(`no product ${ordinal}`);
    await inWriteTransaction(api.deps.db, (tx) =>
      tx.insert(schema.files).values({
        orderId,
        productId: product.id,
        ref,
        status: 'complete',
        meta: JSON.stringify({ index: '1', run: 0, dpRunId: 7 }),
        relativePath: `${orderId}/${ref.replaceAll('/', '_')}.csv`,
        size: 10,
        sha256: 'ab'.repeat(32),
        bytesDownloaded: 10,
      }),
    );
  };

  it('answer every read with the bytes the event loop would send, from their own connections', async () => {
    await addFile(1, 'product-1/run-1/file-1');
    await addFile(4, 'product-4/run-1/file-1');
    // Cancelling writes history for the order and each product.
    await api.app.inject({ method: 'POST', url: `/orders/${orderId}/cancel` });
    threads = await startReadThreads({
      location: api.store,
      threads: 2,
      logger: silent,
      ...builtThread,
    });
    const inline = inlineOrderReads(api.deps.db, api.deps.sources);

    const requests: ReadRequest[] = [
      { read: 'order', orderId },
      { read: 'order', orderId, productLimit: 2 },
      { read: 'order', orderId: 'no-such-order' },
      { read: 'submitted', orderId, queueing: 'pending' },
      { read: 'products', orderId, query: { limit: 4 } },
      { read: 'products', orderId, query: { limit: 4, cursor: 3, status: 'cancelled' } },
      { read: 'events', orderId, limit: 3 },
      { read: 'events', orderId, after: 2, limit: 1_000 },
      { read: 'events', orderId: 'no-such-order', limit: 10 },
      { read: 'orders', query: { limit: 10 } },
      { read: 'orders', query: { limit: 10, cursor: 'no-such-order' } },
      { read: 'summary', orderId },
    ];
    for (const request of requests) {
      const [expected, answered] = await Promise.all([inline.read(request), threads.read(request)]);
      expect({ request, answered }).toEqual({ request, answered: expected });
    }
    // The reads saw the files and the cancel the API wrote: the answers are not empty ones.
    const view = JSON.parse((await threads.read({ read: 'order', orderId })) ?? 'null') as OrderView;
    expect(view.status).toBe('cancelled');
    expect(view.products.flatMap((product) => product.files)).toHaveLength(2);

    // Through the routes: the same status, headers that matter and body as the app reading on its event loop.
    const threaded = await api.buildVariant({ reads: threads });
    for (const url of [
      `/orders/${orderId}`,
      `/orders/${orderId}/products?limit=2`,
      `/orders/${orderId}/events?limit=2`,
      '/orders',
      '/orders?cursor=nope',
      '/orders/nope',
      '/orders/nope/events',
    ]) {
      const [expected, answered] = await Promise.all([api.app.inject({ url }), threaded.inject({ url })]);
      const seen = (answer: typeof expected) => ({
        url,
        status: answer.statusCode,
        type: answer.headers['content-type'],
        link: answer.headers['link'],
        body: answer.body,
      });
      expect(seen(answered)).toEqual(seen(expected));
    }
    const submitted = await threaded.inject({ method: 'POST', url: '/orders', payload: sixProductSpec('again') });
    expect(submitted.statusCode).toBe(201);
    expect(submitted.json()).toMatchObject({ productCount: 6, productsShown: 6, queueing: 'done' });
  });

  it('refuse to start when the database cannot be opened', async () => {
    const temp = await makeTempDir('read-threads');
    try {
      await expect(
        startReadThreads({
          location: { dialect: 'sqlite', path: join(temp.path, 'missing.sqlite') },
          threads: 1,
          logger: silent,
          ...builtThread,
        }),
      ).rejects.toThrow(/read thread stopped/);
    } finally {
      await temp.remove();
    }
  });

  it('replace a thread that dies, refusing only the reads it held', async () => {
    const temp = await makeTempDir('read-threads');
    // A stand-in thread that dies on the read of order "die" and answers every other read with its order id.
    const script = join(temp.path, 'dying-thread.mjs');
    await writeFile(
      script,
      `import { parentPort } from 'node:worker_threads';
       parentPort.on('message', ({ id, request }) => {
         if (request.orderId === 'die') process.exit(3);
         parentPort.postMessage({ id, answer: request.orderId });
       });
       parentPort.postMessage({ ready: true });`,
    );
    try {
      threads = await startReadThreads({
        location: { dialect: 'sqlite', path: 'unused' },
        threads: 1,
        logger: silent,
        script: pathToFileURL(script),
      });
      expect(await threads.read({ read: 'order', orderId: 'before' })).toBe('before');
      await expect(threads.read({ read: 'order', orderId: 'die' })).rejects.toThrow(/exit code 3/);
      // The replacement takes reads as soon as it has started; until then a read finds no thread and is refused.
      let after: string | null | undefined;
      for (let tries = 0; after === undefined && tries < 100; tries += 1) {
        after = await threads.read({ read: 'order', orderId: 'after' }).catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return undefined;
        });
      }
      expect(after).toBe('after');
    } finally {
      await threads?.close();
      threads = undefined;
      await temp.remove();
    }
  });
});

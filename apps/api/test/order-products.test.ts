import { inWriteTransaction, schema, type OrderView, type ProductView } from '@onc-orders/jobs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../src/schemas/error-body-schema.js';
import { sixProductSpec } from './support/order-specs.js';
import { startTestApi, type TestApi } from './support/test-api.js';
import { rawRows } from '@onc-orders/testkit';

interface ProductPageBody {
  items: ProductView[];
  nextCursor: string | null;
}

describe('GET /orders/:id/products', () => {
  let api: TestApi;
  let order: OrderView;

  beforeEach(async () => {
    api = await startTestApi();
    order = (await api.app.inject({ method: 'POST', url: '/orders', payload: sixProductSpec() })).json<OrderView>();
  });
  afterEach(async () => {
    await api.close();
  });

  const get = (url: string) => api.app.inject({ method: 'GET', url });

  /** A file of the order's product `ordinal`, written as the pipeline would have recorded it. */
  const addFile = async (ordinal: number, ref: string, status: 'complete' | 'pending') => {
    const [product] = await rawRows<{ id: number }>(
      api.database,
      'select id from products where order_id = ? and ordinal = ?',
      order.id,
      ordinal,
    );
    if (!product) throw new Error(`no product ${ordinal}`);
    await inWriteTransaction(api.deps.db, (tx) =>
      tx.insert(schema.files).values({
        orderId: order.id,
        productId: product.id,
        ref,
        status,
        meta: JSON.stringify({ index: '1', run: 0, dpRunId: 7 }),
        relativePath: status === 'complete' ? `${order.id}/${ref.replaceAll('/', '_')}.csv` : null,
        size: 10,
        sha256: status === 'complete' ? 'ab'.repeat(32) : null,
        bytesDownloaded: status === 'complete' ? 10 : 0,
      }),
    );
  };

  it('pages the products in ordinal order, each exactly as in the order view, files included', async () => {
    await addFile(1, 'product-1/run-1/file-1', 'complete');
    await addFile(4, 'product-4/run-1/file-1', 'pending');
    const whole = (await get(`/orders/${order.id}`)).json<OrderView>();

    const first = await get(`/orders/${order.id}/products?limit=4`);
    expect(first.statusCode).toBe(200);
    const firstPage = first.json<ProductPageBody>();
    expect(firstPage.items.map((product) => product.ordinal)).toEqual([0, 1, 2, 3]);
    expect(firstPage.nextCursor).toBe('3');
    const second = (
      await get(`/orders/${order.id}/products?limit=4&cursor=${firstPage.nextCursor}`)
    ).json<ProductPageBody>();
    expect(second.items.map((product) => product.ordinal)).toEqual([4, 5]);
    expect(second.nextCursor).toBeNull();

    expect([...firstPage.items, ...second.items]).toEqual(whole.products);
    const withFile = firstPage.items[1];
    expect(withFile?.files).toHaveLength(1);
    expect(withFile?.files[0]).toMatchObject({ status: 'complete', size: 10, index: '1', run: 0, dpRunId: 7 });
    expect(second.items[0]?.files.map((file) => file.status)).toEqual(['pending']);
    expect(withFile).toHaveProperty('dpRequestId', null);
    expect(withFile).toHaveProperty('runs', []);
  });

  it('defaults to 100 a page and filters by status', async () => {
    const all = (await get(`/orders/${order.id}/products`)).json<ProductPageBody>();
    expect(all.items).toHaveLength(6);
    expect(all.nextCursor).toBeNull();

    await api.app.inject({ method: 'POST', url: `/orders/${order.id}/cancel` });
    const cancelled = (await get(`/orders/${order.id}/products?status=cancelled&limit=5`)).json<ProductPageBody>();
    expect(cancelled.items.map((product) => product.status)).toEqual(Array(5).fill('cancelled'));
    expect(cancelled.nextCursor).toBe('4');
    const pending = (await get(`/orders/${order.id}/products?status=pending`)).json<ProductPageBody>();
    expect(pending).toEqual({ items: [], nextCursor: null });
  });

  it('refuses a bad status, limit or cursor naming the field, and answers 404 for an unknown order', async () => {
    for (const [query, field] of [
      ['status=finished', 'status'],
      ['limit=501', 'limit'],
      ['limit=0', 'limit'],
      ['cursor=-1', 'cursor'],
      ['cursor=abc', 'cursor'],
    ] as const) {
      const answer = await get(`/orders/${order.id}/products?${query}`);
      expect(answer.statusCode, query).toBe(400);
      expect(JSON.stringify(answer.json<ErrorBody>()), query).toContain(field);
    }
    const missing = await get('/orders/no-such-order/products');
    expect(missing.statusCode).toBe(404);
    expect(missing.json<ErrorBody>().error).toBe('order not found');
  });
});

describe('GET /orders/:id/products/:ordinal/jobs', () => {
  let api: TestApi;
  afterEach(async () => {
    await api.close();
  });

  it('names the jobs the queues hold for a product, with their dashboard links', async () => {
    api = await startTestApi();
    const order = (
      await api.app.inject({ method: 'POST', url: '/orders', payload: sixProductSpec() })
    ).json<OrderView>();
    // No worker runs: the expand job waits, and no product has a job of its own yet.
    const none = await api.app.inject({ method: 'GET', url: `/orders/${order.id}/products/2/jobs` });
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual({ items: [] });

    const [product] = await rawRows<{ id: number; generation: number }>(
      api.database,
      'select id, generation from products where order_id = ? and ordinal = 2',
      order.id,
    );
    if (!product) throw new Error('no product 2');
    const jobId = `prepare-${product.id}-0-g${product.generation}`;
    await api.queues.control.add(
      'prepare',
      { kind: 'prepare', title: 't', orderId: order.id, productId: product.id, step: 0 },
      { jobId, delay: 60_000 },
    );

    const listed = await api.app.inject({ method: 'GET', url: `/orders/${order.id}/products/2/jobs` });
    expect(listed.json()).toEqual({
      items: [
        {
          queue: 'control',
          jobId,
          kind: 'prepare',
          state: 'delayed',
          dashboardUrl: `/admin/queues/queue/control/${jobId}`,
        },
      ],
    });
    const missing = await api.app.inject({ method: 'GET', url: `/orders/${order.id}/products/6/jobs` });
    expect(missing.statusCode).toBe(404);
  });
});

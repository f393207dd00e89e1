import { inWriteTransaction, jobIdFor, listOrders, schema, type OrderSummary } from '@onc-orders/jobs';
import { rawRows } from '@onc-orders/testkit';
import type { DataProductsOrderView as OrderView } from '@onc-orders/source-onc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../src/schemas/error-body-schema.js';
import { oneProductSpec, sixProductSpec } from './support/order-specs.js';
import { startTestApi, type TestApi } from './support/test-api.js';

interface OrderPage {
  items: OrderSummary[];
  nextCursor: string | null;
  total: number;
}

describe('orders', () => {
  let api: TestApi;

  beforeEach(async () => {
    api = await startTestApi({ maxProductsPerOrder: 10 });
  });
  afterEach(async () => {
    await api.close();
  });

  const submit = (spec: unknown, idempotencyKey?: string) =>
    api.app.inject({
      method: 'POST',
      url: '/orders',
      payload: spec as Record<string, unknown>,
      headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
    });
  const orderCount = async () => (await listOrders(api.database.db, api.sources, { limit: 1 })).total;
  const queuedJobCount = async () => {
    const counts = await api.queues.control.getJobCounts('waiting', 'delayed', 'prioritized');
    return Object.values(counts).reduce((sum, count) => sum + count, 0);
  };

  it('accepts an order: 201 with the order view, one product per code and window, and an expand job queued', async () => {
    const response = await submit(sixProductSpec());

    expect(response.statusCode).toBe(201);
    const order = response.json<OrderView>();
    expect(response.headers['location']).toBe(`/orders/${order.id}`);
    expect(order).toMatchObject({ status: 'queued', label: 'six products', productCount: 6, deleteFile: true });
    expect(order.progress).toMatchObject({ products: { pending: 6 }, filesTotal: 0, filesComplete: 0 });
    expect(order.products).toHaveLength(6);
    for (const product of order.products) {
      expect(product).toMatchObject({ status: 'pending', dpRequestId: null, files: [] });
    }
    const locations = order.products.map((product) => product.filters['locationCode']);
    expect(locations.filter((code) => code === 'BACAX')).toHaveLength(3);
    expect(locations.filter((code) => code === 'NC89')).toHaveLength(3);
    expect(new Set(order.products.map((product) => product.filters['dateFrom'])).size).toBe(3);

    const expandJob = await api.queues.control.getJob(jobIdFor('expand', { orderId: order.id }, 0));
    expect(expandJob?.data).toMatchObject({ kind: 'expand', orderId: order.id });

    const fetched = await api.app.inject({ method: 'GET', url: `/orders/${order.id}` });
    expect(fetched.statusCode).toBe(200);
    // The POST answer is the order view plus whether its first job is queued yet.
    const { queueing, ...view } = order as OrderView & { queueing: string };
    expect(queueing).toBe('done');
    expect(fetched.json<OrderView>()).toEqual(view);
  });

  it('returns the existing order for a repeated Idempotency-Key, and 409 when the spec differs', async () => {
    const first = await submit(sixProductSpec(), 'retry-me');
    const again = await submit(sixProductSpec(), 'retry-me');
    const different = await submit(oneProductSpec(), 'retry-me');

    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json<OrderView>().id).toBe(first.json<OrderView>().id);
    expect(different.statusCode).toBe(409);
    expect(different.json<ErrorBody>().orderId).toBe(first.json<OrderView>().id);
    expect(await orderCount()).toBe(1);
  });

  describe('refuses an invalid order with 400 naming the field, and writes nothing', () => {
    const { filters } = sixProductSpec();
    const { extension: _extension, ...filtersWithoutExtension } = filters;
    const cases: Array<{ name: string; spec: unknown; field: string | RegExp }> = [
      { name: 'missing extension', spec: { filters: filtersWithoutExtension }, field: 'filters.extension' },
      { name: 'a split that is no duration', spec: { ...sixProductSpec(), split: 'daily' }, field: 'split' },
      {
        name: 'an unknown filter parameter',
        spec: { filters: { ...filtersWithoutExtension, extension: 'csv', locatonCode: 'BACAX' } },
        field: 'filters.locatonCode',
      },
      {
        name: 'dateFrom after dateTo',
        spec: { filters: { ...filters, dateFrom: '2024-02-01', dateTo: '2024-01-01' } },
        field: /^filters\.dateFrom/,
      },
      { name: 'an unknown top-level field', spec: { ...sixProductSpec(), splt: 'P1D' }, field: 'splt' },
      {
        name: 'a filter of the wrong type',
        spec: { filters: { ...filters, extension: 7 } },
        field: 'filters.extension',
      },
    ];

    it.each(cases)('$name', async ({ spec, field }) => {
      const response = await submit(spec);

      expect(response.statusCode).toBe(400);
      const body = response.json<ErrorBody>();
      expect(body.error).toBe('invalid order');
      expect(body.issues?.map((issue) => issue.field)).toContainEqual(
        typeof field === 'string' ? field : expect.stringMatching(field),
      );
      for (const issue of body.issues ?? []) expect(issue.message).not.toBe('');
      expect(await orderCount()).toBe(0);
      expect(await queuedJobCount()).toBe(0);
    });

    it('a body that is not JSON', async () => {
      const response = await api.app.inject({
        method: 'POST',
        url: '/orders',
        headers: { 'content-type': 'application/json' },
        payload: '{"filters":',
      });

      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>().error).toEqual(expect.any(String));
      expect(await orderCount()).toBe(0);
    });
  });

  it('refuses an order that expands beyond the product cap, saying how large it is', async () => {
    const tooLarge = {
      ...sixProductSpec(),
      filters: { ...sixProductSpec().filters, dateFrom: '2024-01-01', dateTo: '2024-01-07' },
    };

    const response = await submit(tooLarge);

    expect(response.statusCode).toBe(400);
    const body = response.json<ErrorBody>();
    expect(body).toMatchObject({ productCount: 12, limit: 10 });
    expect(body.error).toContain('the limit is 10');
    expect(await orderCount()).toBe(0);
    expect(await queuedJobCount()).toBe(0);
  });

  it('answers 404 for an order that does not exist', async () => {
    const order = await api.app.inject({ method: 'GET', url: '/orders/no-such-order' });
    const events = await api.app.inject({ method: 'GET', url: '/orders/no-such-order/events' });

    expect(order.statusCode).toBe(404);
    expect(order.json()).toEqual({ error: 'order not found' });
    expect(events.statusCode).toBe(404);
  });

  it("lists an order's events", async () => {
    const order = (await submit(oneProductSpec())).json<OrderView>();
    await api.app.inject({ method: 'POST', url: `/orders/${order.id}/cancel` });

    const response = await api.app.inject({ method: 'GET', url: `/orders/${order.id}/events` });

    expect(response.statusCode).toBe(200);
    const events = response.json<Array<{ entity: string; kind: string; to: string | null }>>();
    expect(events).toContainEqual(expect.objectContaining({ entity: 'order', to: 'cancelled' }));
  });

  it("names each event's product by ordinal and file by path (its ref until it has one), a page at a time", async () => {
    const order = (await submit(sixProductSpec())).json<OrderView>();
    const productId = async (ordinal: number) => {
      const [product] = await rawRows<{ id: number }>(
        api.database,
        'select id from products where order_id = ? and ordinal = ?',
        order.id,
        ordinal,
      );
      if (!product) throw new Error(`no product ${ordinal}`);
      return product.id;
    };
    // A file the cancel will end (it has no path yet), and one already complete (its history names it by path).
    const pendingProduct = await productId(4);
    const completeProduct = await productId(2);
    await inWriteTransaction(api.deps.db, async (tx) => {
      await tx
        .insert(schema.files)
        .values({ orderId: order.id, productId: pendingProduct, ref: 'product-4/run-1/file-1', status: 'pending' });
      const [complete] = await tx
        .insert(schema.files)
        .values({
          orderId: order.id,
          productId: completeProduct,
          ref: 'product-2/run-1/file-1',
          status: 'complete',
          relativePath: `${order.id}/two.csv`,
        })
        .returning({ id: schema.files.id });
      await tx.insert(schema.events).values({
        orderId: order.id,
        entity: 'file',
        entityId: String(complete?.id),
        kind: 'transition',
        fromStatus: 'downloading',
        toStatus: 'complete',
        reason: 'test',
      });
    });
    await api.app.inject({ method: 'POST', url: `/orders/${order.id}/cancel` });

    type Event = { id: number; entity: string; entityId: string; product?: number; file?: string; to: string | null };
    const whole = (await api.app.inject({ url: `/orders/${order.id}/events` })).json<Event[]>();
    const paged: Event[] = [];
    for (let url: string | undefined = `/orders/${order.id}/events?limit=2`; url;) {
      const page: Awaited<ReturnType<typeof api.app.inject>> = await api.app.inject({ url });
      paged.push(...page.json<Event[]>());
      url = /<([^>]+)>; rel="next"/.exec(String(page.headers['link'] ?? ''))?.[1];
    }

    expect(paged).toEqual(whole);
    const ordinalOf = new Map<string, number>();
    for (const ordinal of [0, 1, 2, 3, 4, 5]) ordinalOf.set(String(await productId(ordinal)), ordinal);
    const productEvents = whole.filter((event) => event.entity === 'product');
    expect(productEvents).toHaveLength(6);
    for (const event of productEvents) expect(event.product).toBe(ordinalOf.get(event.entityId));
    expect(
      whole.filter((event) => event.entity === 'file').map(({ product, file, to }) => ({ product, file, to })),
    ).toEqual([
      { product: 2, file: `${order.id}/two.csv`, to: 'complete' },
      { product: 4, file: 'product-4/run-1/file-1', to: 'cancelled' },
    ]);
  });

  it('lists orders newest first, by status, a page at a time', async () => {
    const ids: string[] = [];
    for (const label of ['first', 'second', 'third'])
      ids.push((await submit(oneProductSpec(label))).json<OrderView>().id);
    await api.app.inject({ method: 'POST', url: `/orders/${ids[1]}/cancel` });

    const firstPage = (await api.app.inject({ method: 'GET', url: '/orders?limit=2' })).json<OrderPage>();
    expect(firstPage.total).toBe(3);
    expect(firstPage.items).toHaveLength(2);
    expect(firstPage.nextCursor).not.toBeNull();
    const secondPage = (
      await api.app.inject({ method: 'GET', url: `/orders?limit=2&cursor=${firstPage.nextCursor}` })
    ).json<OrderPage>();
    expect(secondPage.items).toHaveLength(1);
    expect(secondPage.nextCursor).toBeNull();
    const listed = [...firstPage.items, ...secondPage.items].map((order) => order.id);
    expect(listed).toEqual([...ids].reverse());

    const cancelled = (await api.app.inject({ method: 'GET', url: '/orders?status=cancelled' })).json<OrderPage>();
    expect(cancelled.items.map((order) => order.id)).toEqual([ids[1]]);
    const queued = (await api.app.inject({ method: 'GET', url: '/orders?status=queued' })).json<OrderPage>();
    expect(queued).toMatchObject({ total: 2, nextCursor: null });
  });

  it('refuses a list query with an unknown status or a limit over 500, naming the field', async () => {
    const badStatus = await api.app.inject({ method: 'GET', url: '/orders?status=finished' });
    const badLimit = await api.app.inject({ method: 'GET', url: '/orders?limit=501' });

    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json<ErrorBody>().issues?.map((issue) => issue.field)).toEqual(['status']);
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json<ErrorBody>().issues?.map((issue) => issue.field)).toEqual(['limit']);
  });

  it('refuses a cursor that names no order instead of starting over from the first page', async () => {
    await submit(oneProductSpec());
    const response = await api.app.inject({ method: 'GET', url: '/orders?cursor=no-such-order' });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().issues?.map((issue) => issue.field)).toEqual(['cursor']);
  });
});

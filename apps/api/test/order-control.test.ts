import type { OrderView } from '@onc-orders/jobs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../src/schemas/error-body-schema.js';
import { oneProductSpec } from './support/order-specs.js';
import { startTestApi, type TestApi } from './support/test-api.js';

describe('cancel and restart', () => {
  let api: TestApi;

  beforeEach(async () => {
    api = await startTestApi();
  });
  afterEach(async () => {
    await api.close();
  });

  const submitOrder = async () =>
    (await api.app.inject({ method: 'POST', url: '/orders', payload: oneProductSpec() })).json<OrderView>();
  const post = (url: string, payload?: Record<string, unknown>) =>
    api.app.inject({ method: 'POST', url, ...(payload ? { payload } : {}) });

  it('cancels an order: 200 with the cancelled order, its queued jobs removed; cancelling again is a no-op', async () => {
    const order = await submitOrder();

    const cancelled = await post(`/orders/${order.id}/cancel`);
    const again = await post(`/orders/${order.id}/cancel`);

    expect(cancelled.statusCode).toBe(200);
    const view = cancelled.json<OrderView>();
    expect(view.status).toBe('cancelled');
    expect(view.finishedAt).not.toBeNull();
    expect(view.products.map((product) => product.status)).toEqual(['cancelled']);
    expect(await api.queues.control.getJobCounts('waiting', 'prioritized')).toEqual({ waiting: 0, prioritized: 0 });
    expect(again.statusCode).toBe(200);
    expect(again.json<OrderView>().status).toBe('cancelled');
  });

  it('restarts a cancelled order: 202, queued again with the new deleteFile setting and an expand job', async () => {
    const order = await submitOrder();
    await post(`/orders/${order.id}/cancel`);

    const restarted = await post(`/orders/${order.id}/restart`, { deleteFile: false });

    expect(restarted.statusCode).toBe(202);
    const view = restarted.json<OrderView>();
    expect(view).toMatchObject({ status: 'queued', deleteFile: false, finishedAt: null });
    expect(view.products.map((product) => product.status)).toEqual(['pending']);
    expect(await api.queues.control.getJobCounts('waiting', 'prioritized')).toEqual({ waiting: 0, prioritized: 1 });
    const fetched = await api.app.inject({ method: 'GET', url: `/orders/${order.id}` });
    expect(fetched.json<OrderView>().status).toBe('queued');
  });

  it('restarts without a body, keeping the deleteFile setting', async () => {
    const order = await submitOrder();
    await post(`/orders/${order.id}/cancel`);

    const restarted = await post(`/orders/${order.id}/restart`);

    expect(restarted.statusCode).toBe(202);
    expect(restarted.json<OrderView>()).toMatchObject({ status: 'queued', deleteFile: true });
  });

  it('refuses to restart an order that is still queued: 409 naming its status', async () => {
    const order = await submitOrder();

    const response = await post(`/orders/${order.id}/restart`);

    expect(response.statusCode).toBe(409);
    expect(response.json<ErrorBody>()).toMatchObject({ status: 'queued' });
  });

  it('refuses a restart body with unknown or mistyped fields', async () => {
    const order = await submitOrder();
    await post(`/orders/${order.id}/cancel`);

    const mistyped = await post(`/orders/${order.id}/restart`, { deleteFile: 'no' });
    const unknown = await post(`/orders/${order.id}/restart`, { deleteFiles: false });

    expect(mistyped.statusCode).toBe(400);
    expect(mistyped.json<ErrorBody>().issues?.map((issue) => issue.field)).toEqual(['deleteFile']);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<ErrorBody>().issues?.map((issue) => issue.field)).toEqual(['deleteFiles']);
  });

  it('answers 404 when cancelling or restarting an order that does not exist', async () => {
    const cancel = await post('/orders/no-such-order/cancel');
    const restart = await post('/orders/no-such-order/restart');

    expect(cancel.statusCode).toBe(404);
    expect(cancel.json()).toEqual({ error: 'order not found' });
    expect(restart.statusCode).toBe(404);
  });
});

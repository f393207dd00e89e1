import type { SourceRegistry } from '@onc-orders/jobs';
import { configureSources } from '@onc-orders/sources';
import type { DataProductsOrderView } from '@onc-orders/source-onc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oneProductSpec } from './support/order-specs.js';
import { startTestApi, type TestApi } from './support/test-api.js';

describe('orders whose settings changed, or whose source this API has no settings for', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi();
  });
  afterEach(async () => {
    await api.close();
  });

  it('still answers a retried submission with its order after a restart changed deleteFile', async () => {
    const submit = () =>
      api.app.inject({
        method: 'POST',
        url: '/orders',
        payload: oneProductSpec(),
        headers: { 'idempotency-key': 'retry-me' },
      });
    const first = (await submit()).json<DataProductsOrderView>();
    await api.app.inject({ method: 'POST', url: `/orders/${first.id}/cancel` });
    const restarted = await api.app.inject({
      method: 'POST',
      url: `/orders/${first.id}/restart`,
      payload: { deleteFile: false },
    });
    expect(restarted.json<DataProductsOrderView>().deleteFile).toBe(false);

    const retried = await submit();
    expect(retried.statusCode).toBe(200);
    expect(retried.json<DataProductsOrderView>().id).toBe(first.id);
  });

  it('shows an ONC order with its ONC fields on an API that has no ONC settings, and refuses to restart it', async () => {
    const order = (
      await api.app.inject({ method: 'POST', url: '/orders', payload: oneProductSpec() })
    ).json<DataProductsOrderView>();
    await api.app.inject({ method: 'POST', url: `/orders/${order.id}/cancel` });
    // The same database through an API started without ONC_TOKEN: the views need no settings.
    const unconfigured: SourceRegistry = configureSources(
      {},
      {
        redis: api.deps.redis,
        queuePrefix: api.queues.prefix,
        logger: api.deps.logger,
      },
    );
    const app = await api.buildVariant({ sources: unconfigured });
    const shown = (await app.inject({ method: 'GET', url: `/orders/${order.id}` })).json<DataProductsOrderView>();
    expect(shown).toMatchObject({ source: 'onc-data-products', deleteFile: true, includeMetadataFile: true });
    expect(shown.products[0]).toMatchObject({
      status: 'cancelled',
      dpRequestId: null,
      filters: { locationCode: 'BACAX' },
    });

    const restart = await app.inject({ method: 'POST', url: `/orders/${order.id}/restart` });
    expect(restart.statusCode).toBe(409);
    expect(restart.json<{ error: string }>().error).toContain('ONC_TOKEN');
  });
});

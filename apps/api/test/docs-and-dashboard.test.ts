import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

// Just the parts of the OpenAPI document these tests read.
interface JsonSchema {
  required?: string[];
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  enum?: unknown[];
  example?: unknown;
}
interface Operation {
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

describe('API docs and queue dashboard', () => {
  let api: TestApi;

  beforeEach(async () => {
    api = await startTestApi();
  });
  afterEach(async () => {
    await api.close();
  });

  it('publishes the order spec as the request body of POST /orders', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/docs/json' });

    expect(response.statusCode).toBe(200);
    const document = response.json<OpenApiDocument>();
    const body = document.paths['/orders']?.['post']?.requestBody?.content['application/json']?.schema;
    // One spec per known source; the data products one is the spec without a `source`.
    const variants = body?.anyOf ?? (body ? [body] : []);
    expect(variants.some((variant) => variant.required?.includes('asset'))).toBe(true);
    const schema = variants.find((variant) => variant.properties?.['filters']?.required?.includes('dataProductCode'));
    expect(schema?.required).toContain('filters');
    expect(variants.some((variant) => variant?.properties?.['source']?.enum?.includes('onc-archive-files'))).toBe(true);
    const dataStream = variants.find((variant) => variant.properties?.['partitionBy']);
    expect(dataStream?.required).toContain('source');
    expect(dataStream?.properties).toHaveProperty('filter');
    const filters = schema?.properties?.['filters'];
    expect(filters?.required).toEqual(expect.arrayContaining(['dataProductCode', 'extension']));
    expect(filters?.properties).toHaveProperty('locationCode');
    expect(schema?.properties).toHaveProperty('split');
    // `notify` is the core's, valid in every source's spec.
    for (const variant of variants) {
      expect(variant?.properties?.['notify']?.properties?.['events']?.items?.enum).toEqual([
        'order.completed',
        'order.failed',
        'order.cancelled',
      ]);
    }
  });

  it('offers the README sample order as the example of POST /orders, and it is a valid order', async () => {
    const document = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json<OpenApiDocument>();
    const body = document.paths['/orders']?.['post']?.requestBody?.content['application/json']?.schema;
    const sample = JSON.parse(
      await readFile(new URL('../../../examples/sample-order.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(body?.example).toEqual(sample);
    const submitted = await api.app.inject({
      method: 'POST',
      url: '/orders',
      payload: sample as Record<string, unknown>,
    });
    expect(submitted.statusCode).toBe(201);
    expect(submitted.json<{ productCount: number }>().productCount).toBe(6);
  });

  it('documents every order route and /metrics, and none of the dashboard, docs or order page routes', async () => {
    const document = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json<OpenApiDocument>();

    expect(Object.keys(document.paths).sort()).toEqual([
      '/healthz',
      '/metrics',
      '/orders',
      '/orders/check',
      '/orders/{id}',
      '/orders/{id}/cancel',
      '/orders/{id}/events',
      '/orders/{id}/products',
      '/orders/{id}/products/{ordinal}/jobs',
      '/orders/{id}/restart',
      '/orders/{id}/stream',
    ]);
    const orderSchema =
      document.paths['/orders/{id}']?.['get']?.responses['200']?.content?.['application/json']?.schema;
    expect(orderSchema?.properties).toHaveProperty('products');
    expect(orderSchema?.properties).toHaveProperty('progress');
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/docs' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
  });

  it("serves the queue dashboard at /admin/queues, over the control queue and each service's downloads", async () => {
    const page = await api.app.inject({ method: 'GET', url: '/admin/queues' });
    const queues = await api.app.inject({ method: 'GET', url: '/admin/queues/api/queues' });

    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('/admin/queues');
    expect(queues.statusCode).toBe(200);
    const names = queues.json<{ queues: Array<{ name: string }> }>().queues.map((queue) => queue.name);
    expect(names.sort()).toEqual(['control', 'downloads-onc']);
  });
});

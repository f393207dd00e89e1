import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

// Just the parts of the OpenAPI document these tests read.
interface JsonSchema {
  required?: string[];
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  enum?: unknown[];
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
    const variants = body?.anyOf ?? [body];
    expect(variants.length).toBeGreaterThanOrEqual(2);
    const schema = variants.find((variant) => variant?.properties?.['filters']?.required?.includes('dataProductCode'));
    expect(schema?.required).toContain('filters');
    expect(variants.some((variant) => variant?.properties?.['source']?.enum?.includes('onc-archive-files'))).toBe(true);
    const filters = schema?.properties?.['filters'];
    expect(filters?.required).toEqual(expect.arrayContaining(['dataProductCode', 'extension']));
    expect(filters?.properties).toHaveProperty('locationCode');
    expect(schema?.properties).toHaveProperty('split');
  });

  it('documents every order route, and none of the dashboard, docs or order page routes', async () => {
    const document = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json<OpenApiDocument>();

    expect(Object.keys(document.paths).sort()).toEqual([
      '/healthz',
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

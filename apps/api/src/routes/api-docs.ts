import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { ApiServer } from '../api-server.js';

export const apiDocsPath = '/docs';

/**
 * The OpenAPI document, generated from the routes' zod schemas (so it cannot drift from what is validated), and
 * Swagger UI to read it. Must be added before the routes it describes.
 */
export async function addApiDocs(app: ApiServer, options: { requiresKey: boolean }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'onc-orders API',
        description: 'Bulk orders of Ocean Networks Canada data products, run as durable jobs.',
        version: '0.1.0',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: options.requiresKey ? [{ apiKey: [] }] : [],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: apiDocsPath });
}

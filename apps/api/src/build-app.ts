import Fastify, { type FastifyBaseLogger } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiServer } from './api-server.js';
import type { AppDependencies } from './app-dependencies.js';
import { requireApiKey } from './auth/require-api-key.js';
import { parseJsonBody } from './body/parse-json-body.js';
import { handleError } from './errors/error-handler.js';
import { addApiDocs, apiDocsPath } from './routes/api-docs.js';
import { addHealthRoutes } from './routes/health-routes.js';
import { addMetricsRoute } from './routes/metrics-route.js';
import { addOrderControlRoutes } from './routes/order-control-routes.js';
import { addOrderPageRoutes } from './routes/order-page-routes.js';
import { addOrderProductsRoutes } from './routes/order-products-routes.js';
import { addOrderRoutes } from './routes/order-routes.js';
import { addOrderStreamRoute } from './routes/order-stream-route.js';
import { addQueueDashboard, queueDashboardPath } from './routes/queue-dashboard.js';
import { inlineOrderReads } from './reads/inline-order-reads.js';

/**
 * The HTTP API, ready to `listen` or to be called with `inject`. It owns nothing it is given: closing the app stops
 * serving, and the caller closes the database, Redis and queues afterwards.
 */
export async function buildApp(deps: AppDependencies): Promise<ApiServer> {
  // Seen as fastify's logger interface, so the routes do not depend on which pino the caller built.
  const logger: FastifyBaseLogger = deps.logger;
  const app = Fastify({ loggerInstance: logger }).withTypeProvider<ZodTypeProvider>();
  // Zod validates input and shapes output, and the same schemas become the OpenAPI document.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  // Strict JSON: invalid UTF-8 and prototype keys are refused naming their field, instead of a bare "not valid JSON".
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    try {
      done(null, parseJsonBody(body));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));
  // Before any route or plugin, so that the check covers all of them.
  requireApiKey(app, { apiKeys: deps.apiKeys, browserPathPrefixes: [queueDashboardPath, apiDocsPath] });
  // Before the routes: the document is collected as routes are added.
  await addApiDocs(app, { requiresKey: deps.apiKeys.length > 0 });
  const routeDeps = { ...deps, reads: deps.reads ?? inlineOrderReads(deps.db, deps.sources) };
  addHealthRoutes(app, deps);
  addMetricsRoute(app, deps);
  addOrderRoutes(app, routeDeps);
  addOrderControlRoutes(app, routeDeps);
  addOrderProductsRoutes(app, routeDeps);
  addOrderStreamRoute(app, routeDeps);
  addOrderPageRoutes(app);
  await addQueueDashboard(app, deps.queues);
  return app;
}

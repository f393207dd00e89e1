import type { ApiServer } from '../api-server.js';
import type { AppDependencies } from '../app-dependencies.js';

/**
 * `GET /metrics`: this process's metrics in Prometheus' text format, and the fleet's state when this API exports it
 * (METRICS_EXPORT_STATE). Behind the API key like every route but /healthz: a scraper sends it as a bearer token.
 */
export function addMetricsRoute(app: ApiServer, deps: AppDependencies): void {
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics (text exposition format)',
        description:
          "This process's job, download, service-call, retry and politeness metrics (the workers serve theirs on " +
          'METRICS_PORT), with queue depths and orders, products and files by status when METRICS_EXPORT_STATE is on.',
        produces: ['text/plain'],
      },
    },
    async (_request, reply) => {
      const { contentType, body } = await deps.metrics.exposition();
      return reply.type(contentType).send(body);
    },
  );
}

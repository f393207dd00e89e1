// `pnpm api`: the HTTP API over the order pipeline. The only place that reads process.env for it.
import { addStateMetrics, createRuntime, parseEnvironment, stateStoreLocation, type Runtime } from '@onc-orders/jobs';
import { configureSources } from '@onc-orders/sources';
import { apiKeysOf, parseApiSettings } from './api-settings.js';
import type { ApiServer } from './api-server.js';
import { buildApp } from './build-app.js';
import type { OrderReads } from './reads/order-reads.js';
import { startReadThreads } from './reads/read-threads.js';
import { apiDocsPath } from './routes/api-docs.js';
import { queueDashboardPath } from './routes/queue-dashboard.js';

/** Stops serving first (in-flight requests finish), then lets go of the read threads, the database, Redis and the queues. */
function stopOnSignals(app: ApiServer, reads: OrderReads | undefined, runtime: Runtime): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    runtime.logger.info({ signal }, 'shutting down');
    try {
      await app.close();
      await reads?.close();
      await runtime.close();
      process.exit(0);
    } catch (error) {
      runtime.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop(signal));
}

async function main(): Promise<void> {
  const environment = parseEnvironment(process.env);
  const settings = parseApiSettings(process.env);
  const runtime = await createRuntime(environment, {
    name: 'onc-api',
    sources: (deps) => configureSources(process.env, deps),
  });
  const apiKeys = apiKeysOf(settings);
  if (settings.METRICS_EXPORT_STATE) {
    addStateMetrics(runtime.metrics, { db: runtime.database.db, queues: runtime.queues, logger: runtime.logger });
  }
  let app: ApiServer | undefined;
  let reads: OrderReads | undefined;
  try {
    const location = stateStoreLocation(environment);
    // A database in memory cannot be shared with threads: its views are then read on the event loop.
    if (settings.API_READ_THREADS > 0 && !(location.dialect === 'sqlite' && location.path === ':memory:')) {
      reads = await startReadThreads({
        location,
        threads: settings.API_READ_THREADS,
        logger: runtime.logger,
      });
    }
    app = await buildApp({
      db: runtime.database.db,
      database: runtime.database,
      redis: runtime.redis,
      queues: runtime.queues,
      sources: runtime.sources,
      config: runtime.config,
      apiKeys,
      logger: runtime.logger,
      metrics: runtime.metrics,
      defaultWebhookUrl: environment.WEBHOOK_URL,
      ...(reads ? { reads } : {}),
    });
    const url = await app.listen({ host: settings.HOST, port: settings.PORT });
    runtime.logger.info(
      {
        url,
        dashboard: `${url}${queueDashboardPath}`,
        docs: `${url}${apiDocsPath}`,
        sources: runtime.sources.enabled().map((source) => source.name),
      },
      `API listening on ${url}`,
    );
    for (const source of runtime.sources.disabled()) {
      runtime.logger.warn(
        `source ${source.name} is not configured: its orders are refused until ${source.missing} is set`,
      );
    }
    if (apiKeys.length === 0)
      runtime.logger.warn('API_KEYS is not set: anyone who can reach this port can use the API');
  } catch (error) {
    runtime.logger.fatal({ err: error }, 'the API could not start');
    await app?.close();
    await reads?.close();
    await runtime.close();
    process.exit(1);
  }
  stopOnSignals(app, reads, runtime);
}

main().catch((error: unknown) => {
  // Only reached before a logger exists, e.g. for an invalid environment.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

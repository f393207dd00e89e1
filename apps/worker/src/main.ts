import {
  addStateMetrics,
  createRuntime,
  parseEnvironment,
  startMetricsServer,
  startPipelineWorkers,
  startReconciler,
  startWebhookSender,
  webhookSenderSettings,
} from '@onc-orders/jobs';
import { configureSources } from '@onc-orders/sources';
import { parseWorkerSettings } from './worker-settings.js';

/**
 * One worker process: runs the pipeline's jobs, rebuilds lost queues from SQLite at start and on a timer, serves its
 * metrics on METRICS_PORT when set, and on SIGTERM/SIGINT lets in-flight downloads finish up to SHUTDOWN_DEADLINE_MS
 * before handing the rest back.
 */
async function main(): Promise<void> {
  const environment = parseEnvironment(process.env);
  const settings = parseWorkerSettings(process.env);
  const runtime = await createRuntime(environment, {
    name: 'onc-worker',
    sources: (deps) => configureSources(process.env, deps),
  });
  const { logger } = runtime;
  if (settings.METRICS_EXPORT_STATE) {
    addStateMetrics(runtime.metrics, { db: runtime.database.db, queues: runtime.queues, logger });
  }
  const metricsServer =
    settings.METRICS_PORT > 0
      ? await startMetricsServer(runtime.metrics, { host: settings.METRICS_HOST, port: settings.METRICS_PORT, logger })
      : undefined;
  const workers = await startPipelineWorkers(runtime.context, runtime.redis);
  const reconciler = startReconciler(runtime.context, runtime.redis, environment.RECONCILE_INTERVAL_MS);
  await reconciler.done;
  const webhookSettings = webhookSenderSettings(environment);
  const webhooks = webhookSettings ? startWebhookSender(runtime.database.db, webhookSettings, logger) : undefined;
  if (!webhooks) logger.info('WEBHOOK_SECRET is not set: this worker sends no webhooks');
  logger.info(
    {
      pid: process.pid,
      downloadDir: runtime.config.downloadDir,
      sources: runtime.sources.enabled().map((source) => source.name),
      services: runtime.sources.services(),
      metrics: metricsServer?.url ?? 'off (METRICS_PORT unset)',
    },
    'worker ready',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping');
    reconciler.stop();
    await webhooks?.stop();
    await workers.close({ deadlineMs: environment.SHUTDOWN_DEADLINE_MS });
    await metricsServer?.close();
    await runtime.close();
    logger.info('worker stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

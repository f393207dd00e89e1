import { z } from 'zod';
import type { ApiServer } from '../api-server.js';
import type { AppDependencies } from '../app-dependencies.js';
import '../route-config.js';

type CheckResult = 'ok' | 'failed';

const checkResultSchema = z.enum(['ok', 'failed']);
const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.enum(['sqlite', 'postgres']).describe('where the state lives: DATABASE_PATH or DATABASE_URL'),
  checks: z.object({ database: checkResultSchema, redis: checkResultSchema }),
  sources: z
    .object({
      enabled: z.array(z.string()).describe('sources whose orders this deployment takes'),
      disabled: z
        .array(z.object({ name: z.string(), missing: z.string().describe('the settings it lacks') }))
        .describe('sources it knows but has no settings for: their orders are refused'),
    })
    .describe('which data sources are configured'),
});

/**
 * Whether `probe` succeeds within `timeoutMs`. The runtime's Redis client queues commands while it reconnects
 * (BullMQ needs maxRetriesPerRequest null), so without a deadline a ping to a Redis that is down would never answer.
 */
async function passes(
  probe: () => unknown,
  timeoutMs: number,
  onFailure: (error: unknown) => void,
): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(probe), deadline]);
    return 'ok';
  } catch (error) {
    onFailure(error);
    return 'failed';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /healthz`: can this process reach its database and Redis, and which sources does it serve? Open to anyone, for load
 * balancers and orchestrators.
 */
export function addHealthRoutes(app: ApiServer, deps: AppDependencies): void {
  const timeoutMs = deps.healthCheckTimeoutMs ?? 2_000;
  const sources = {
    enabled: deps.sources.enabled().map((source) => source.name),
    disabled: deps.sources.disabled(),
  };
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness and readiness: the database and Redis answer',
        security: [],
        response: { 200: healthSchema, 503: healthSchema },
      },
      config: { public: true },
    },
    async (request, reply) => {
      const [database, redis] = await Promise.all([
        passes(
          () => deps.database.ping(),
          timeoutMs,
          (error) => request.log.warn({ err: error }, 'health check: the database failed'),
        ),
        passes(
          () => deps.redis.ping(),
          timeoutMs,
          (error) => request.log.warn({ err: error }, 'health check: Redis failed'),
        ),
      ]);
      const healthy = database === 'ok' && redis === 'ok';
      return reply.code(healthy ? 200 : 503).send({
        status: healthy ? 'ok' : 'unavailable',
        database: deps.database.dialect,
        checks: { database, redis },
        sources,
      });
    },
  );
}

import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { PipelineQueues } from '@onc-orders/jobs';
import type { ApiServer } from '../api-server.js';

export const queueDashboardPath = '/admin/queues';

/** Bull Board over the pipeline's queues (control, and each service's downloads): what is waiting, running, delayed or failed, and why. */
export async function addQueueDashboard(app: ApiServer, queues: PipelineQueues): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(queueDashboardPath);
  createBullBoard({
    queues: queues.all().map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'onc-orders' } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: queueDashboardPath });
}

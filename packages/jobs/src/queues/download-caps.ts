import type { SourceRegistry } from '../sources/source-registry.js';
import type { PipelineQueues } from './pipeline-queues.js';

/** Sets each service's fleet-wide download cap on its downloads queue (BullMQ keeps it in Redis). */
export async function applyDownloadCaps(queues: PipelineQueues, sources: SourceRegistry): Promise<void> {
  for (const service of sources.services()) {
    await queues.downloadsOf(service.name).setGlobalConcurrency(service.maxConcurrentDownloads);
  }
}

import type { Job } from 'bullmq';
import { updateById } from '../db/update-by-id.js';
import type { PipelineContext } from '../pipeline-context.js';
import type { DownloadProgress } from '../processors/fetch-file.js';
import type { AnyJobData } from '../queues/job-kinds.js';

/** How often a download reports to the dashboard (Redis) and to the database, in ms. */
const dashboardEveryMs = 500;
const databaseEveryMs = 2_000;

/** Download progress for the dashboard (bytes) and the database, throttled: a 1 GiB file has ~16k chunks. */
export function progressReporter(ctx: PipelineContext, job: Job<AnyJobData>): DownloadProgress {
  const fileId = job.data.kind === 'download' ? job.data.fileId : undefined;
  // Counted from the start: a file that arrives within the first interval reports nothing, which spares a Redis
  // script and a database write for each of the many small files.
  let lastJobUpdate = Date.now();
  let lastDbUpdate = lastJobUpdate;
  return (bytes, total) => {
    const now = Date.now();
    if (now - lastJobUpdate >= dashboardEveryMs) {
      lastJobUpdate = now;
      job.updateProgress({ bytes, ...(total !== undefined ? { total } : {}) }).catch(() => undefined);
    }
    if (fileId !== undefined && now - lastDbUpdate >= databaseEveryMs) {
      lastDbUpdate = now;
      updateById(ctx.db, 'files', fileId, { bytesDownloaded: bytes });
    }
  };
}

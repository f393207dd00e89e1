import type { Job } from 'bullmq';
import { updateById } from '../db/update-by-id.js';
import type { PipelineContext } from '../pipeline-context.js';
import type { DownloadProgress } from '../processors/fetch-file.js';
import type { AnyJobData } from '../queues/job-kinds.js';

/** How often a download reports to the dashboard (Redis) and to the database, in ms. */
const dashboardEveryMs = 500;
const databaseEveryMs = 2_000;

/** A download's progress reporter, and what to tell the dashboard once the file is complete. */
export interface ProgressReporter {
  report: DownloadProgress;
  /** The bar at 100%, when the dashboard was shown a part of it (a small file that showed nothing costs nothing). */
  completed(): Promise<void>;
}

/**
 * Download progress for the dashboard and the database, throttled: a 1 GiB file has ~16k chunks. The dashboard gets
 * a percentage when the size is known (Bull Board draws it as a bar), the bytes otherwise.
 */
export function progressReporter(ctx: PipelineContext, job: Job<AnyJobData>): ProgressReporter {
  const fileId = job.data.kind === 'download' ? job.data.fileId : undefined;
  // Counted from the start: a file that arrives within the first interval reports nothing, which spares a Redis
  // script and a database write for each of the many small files.
  let lastJobUpdate = Date.now();
  let lastDbUpdate = lastJobUpdate;
  let shown = false;
  const report: DownloadProgress = (bytes, total) => {
    const now = Date.now();
    if (now - lastJobUpdate >= dashboardEveryMs) {
      lastJobUpdate = now;
      shown = true;
      const progress = total !== undefined && total > 0 ? Math.min(99, Math.floor((bytes / total) * 100)) : { bytes };
      job.updateProgress(progress).catch(() => undefined);
    }
    if (fileId !== undefined && now - lastDbUpdate >= databaseEveryMs) {
      lastDbUpdate = now;
      // Only shown while the file is in flight (the verified size is recorded when it completes): a lost write is
      // made up by the next one.
      void ctx.writes
        .write((tx) => updateById(tx, 'files', fileId, { bytesDownloaded: bytes }))
        .catch((error: unknown) => ctx.logger.debug({ err: error, fileId }, 'could not record download progress'));
    }
  };
  return {
    report,
    completed: () => (shown ? job.updateProgress(100).catch(() => undefined) : Promise.resolve()),
  };
}

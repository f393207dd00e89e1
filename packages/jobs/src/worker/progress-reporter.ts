import type { Job } from 'bullmq';
import { updateById } from '../db/update-by-id.js';
import type { PipelineContext } from '../pipeline-context.js';
import type { DownloadProgress, DownloadTarget } from '../processors/fetch-file.js';
import type { AnyJobData } from '../queues/job-kinds.js';

/** How often a download reports to the dashboard (Redis) and to the database, in ms. */
const dashboardEveryMs = 500;
const databaseEveryMs = 2_000;

/**
 * A download job's progress in Redis, as Bull Board shows it: it draws the bar from `progress` (a percentage, when
 * the size is known) and shows the whole object on the job's Progress tab, so an operator reads which file is
 * arriving, where it goes and how much of it is there.
 */
export interface DownloadJobProgress extends DownloadTarget {
  progress?: number;
  bytes: number;
  total?: number;
}

/** A download's progress reporter, and what to tell the dashboard once the file is complete. */
export interface ProgressReporter {
  report: DownloadProgress;
  /** The bar at 100%, when the dashboard was shown a part of it (a small file that showed nothing costs nothing). */
  completed(): Promise<void>;
}

function jobProgress(bytes: number, total: number | undefined, target: DownloadTarget): DownloadJobProgress {
  const known = total !== undefined && total > 0;
  return {
    ...(known ? { progress: bytes >= total ? 100 : Math.min(99, Math.floor((bytes / total) * 100)) } : {}),
    ...target,
    bytes,
    ...(total !== undefined ? { total } : {}),
  };
}

/**
 * Download progress for the dashboard and the database, throttled: a 1 GiB file has ~16k chunks. The percentage stays
 * below 100 until the file is complete: 100 says it is verified and on disk.
 */
export function progressReporter(ctx: PipelineContext, job: Job<AnyJobData>): ProgressReporter {
  const fileId = job.data.kind === 'download' ? job.data.fileId : undefined;
  // Counted from the start: a file that arrives within the first interval reports nothing, which spares a Redis
  // script and a database write for each of the many small files.
  let lastJobUpdate = Date.now();
  let lastDbUpdate = lastJobUpdate;
  let shown = false;
  let last: { bytes: number; total: number | undefined; target: () => DownloadTarget } | undefined;
  const report: DownloadProgress = (bytes, total, target) => {
    last = { bytes, total, target };
    const now = Date.now();
    if (now - lastJobUpdate >= dashboardEveryMs) {
      lastJobUpdate = now;
      shown = true;
      const progress = jobProgress(bytes, total, target());
      if (progress.progress === 100) progress.progress = 99;
      job.updateProgress(progress).catch(() => undefined);
    }
    if (fileId !== undefined && now - lastDbUpdate >= databaseEveryMs) {
      lastDbUpdate = now;
      // Only shown while the file is in flight (the verified size is recorded when it completes): a lost write is
      // made up by the next one.
      void ctx.writes
        .writeOne((tx) => updateById(tx, 'files', fileId, { bytesDownloaded: bytes }))
        .catch((error: unknown) => ctx.logger.debug({ err: error, fileId }, 'could not record download progress'));
    }
  };
  return {
    report,
    completed: () =>
      shown && last
        ? job
            .updateProgress({ ...jobProgress(last.bytes, last.total, last.target()), progress: 100 })
            .catch(() => undefined)
        : Promise.resolve(),
  };
}

import type { PipelineContext } from '../pipeline-context.js';
import { claimLease, releaseLease, type LeasedTable } from '../state/leases.js';

export type LeaseClaim = 'claimed' | 'held' | 'unwritable';

/** A job's lease on the row it works on, kept fresh while the job runs. */
export interface HeldLease {
  release(): Promise<void>;
}

/**
 * Claims the row's lease through the write batcher. 'held': another live job run has it (usually the one that just
 * queued this job and is finishing). 'unwritable': the database could not be written (its lock still taken after
 * the busy timeout); the job has done nothing yet, so looking again later costs it no attempt.
 */
export async function claimJobLease(
  ctx: PipelineContext,
  target: { table: LeasedTable; id: number },
  owner: string,
  ttlMs: number,
): Promise<LeaseClaim> {
  try {
    const claimed = await ctx.writes.writeOne((tx) => claimLease(tx, target.table, target.id, owner, ttlMs));
    return claimed ? 'claimed' : 'held';
  } catch (error) {
    ctx.logger.warn({ err: error, lease: target }, 'could not claim the lease');
    return 'unwritable';
  }
}

/** Renews a claimed lease every third of its time to live until released. */
export function holdLease(
  ctx: PipelineContext,
  target: { table: LeasedTable; id: number },
  owner: string,
  ttlMs: number,
): HeldLease {
  const renew = () =>
    ctx.writes
      .writeOne((tx) => claimLease(tx, target.table, target.id, owner, ttlMs))
      // A renewal that cannot be written is tried again at the next tick, well within the lease's time to live.
      .catch((error: unknown) => ctx.logger.warn({ err: error, lease: target }, 'could not renew the lease'));
  const renewal = setInterval(() => void renew(), ttlMs / 3);
  return {
    release: async () => {
      clearInterval(renewal);
      await releaseLease(ctx.db, target.table, target.id, owner);
    },
  };
}

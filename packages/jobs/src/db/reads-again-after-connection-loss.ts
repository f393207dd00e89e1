import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { isConnectionFailure, maxTriesAfterConnectionLoss, waitAfterConnectionLossMs } from './connection-loss.js';

type Query = (...args: unknown[]) => Promise<unknown>;

const sqlOf = (config: unknown): string =>
  typeof config === 'string'
    ? config
    : (((config as { text?: unknown } | undefined)?.text as string | undefined) ?? '');

/**
 * The pool's `query` for drizzle's handle outside transactions, with every read (a SELECT) sent again when its
 * connection was lost: a server that restarts or fails over ends every connection at once, and the jobs reading at
 * that moment would otherwise fail a try each. A read has no effect to repeat. A write outside a transaction is its
 * own transaction, and one lost after it was sent may have committed: that failure goes to the caller.
 */
export function readsAgainAfterConnectionLoss(pool: Pick<pg.Pool, 'query'>): Query {
  return async (...args) => {
    const read = /^\s*select\b/i.test(sqlOf(args[0]));
    for (let failures = 0; ;) {
      try {
        return await (pool.query as Query).apply(pool, args);
      } catch (error) {
        if (!read || !isConnectionFailure(error) || ++failures >= maxTriesAfterConnectionLoss) throw error;
        await sleep(waitAfterConnectionLossMs(failures));
      }
    }
  };
}

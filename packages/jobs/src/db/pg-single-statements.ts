import { isConnectionFailure } from './connection-loss.js';
import type { AppDatabase } from './database.js';
import { runAgainWhileSafe } from './pg-transactions.js';
import {
  asOneStatement,
  oneStatementWrite,
  type TransactionRunner,
  type TransactionWork,
} from './write-transaction.js';

type Query = (...args: unknown[]) => Promise<unknown>;

/**
 * Writes of one statement on PostgreSQL, sent through the pool outside any transaction, where the server commits
 * each by itself. READ COMMITTED: a conditional UPDATE re-checks its condition on the row's newest version, so two
 * racing claims of a row cannot both win. One lost to a deadlock did nothing and is sent again, as a transaction
 * would be; one whose connection was lost is sent again too, for the ~11 s a transaction would be, because its
 * caller promised that sending it twice does what sending it once does.
 */
export function pgSingleStatementRunner(db: AppDatabase): TransactionRunner {
  return <T>(work: TransactionWork<T>): Promise<T> => {
    // A write of one statement inside another is part of it, and counts towards its one statement.
    if (oneStatementWrite()) return Promise.resolve(work(db));
    return sendAgainWhatIsSafe(db, work);
  };
}

function sendAgainWhatIsSafe<T>(db: AppDatabase, work: TransactionWork<T>): Promise<T> {
  return runAgainWhileSafe(() =>
    asOneStatement(async () => work(db)).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error, mayRunAgain: isConnectionFailure(error) }),
    ),
  );
}

/**
 * The pool's `query`, refusing a second statement from a write of one: outside a transaction each would commit by
 * itself, and a failure between them would leave half the write. Refused, such a write fails every time.
 */
export function refusingSecondStatements(query: Query): Query {
  return (...args) => {
    const single = oneStatementWrite();
    if (single && single.sent++ > 0)
      return Promise.reject(new Error('a write of one statement sent a second one: give it a transaction'));
    return query(...args);
  };
}

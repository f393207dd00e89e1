import type pg from 'pg';

/**
 * Listens, while this process holds a pooled connection, for the 'error' the client emits when its server process
 * dies (a restart, a failover, an operator's `pg_terminate_backend`). The statement in flight fails too, and that is
 * what the caller hears; the event itself has no listener once the pool has handed the connection out (the pool
 * listens only to idle ones), and an unheard 'error' would end the whole process.
 *
 * @returns a function to call before the connection is released: it stops listening and gives the error the
 *   connection was lost with, if it was, so that `release(error)` destroys the connection instead of reusing it.
 */
export function watchForConnectionLoss(client: pg.PoolClient): () => Error | undefined {
  let lostWith: Error | undefined;
  const lost = (error: Error) => {
    lostWith = error;
  };
  client.on('error', lost);
  return () => {
    client.removeListener('error', lost);
    return lostWith;
  };
}

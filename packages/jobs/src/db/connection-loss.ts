import type pg from 'pg';

/** What a watch on a checked-out connection tells. */
export interface ConnectionWatch {
  /** The error the connection was lost with, if it was. */
  lostWith(): Error | undefined;
  /** Stops listening, before the connection is released; returns `lostWith()`. */
  stop(): Error | undefined;
}

/**
 * Listens, while this process holds a pooled connection, for the 'error' the client emits when its server process
 * dies (a restart, a failover, an operator's `pg_terminate_backend`). The statement in flight fails too, and that is
 * what the caller hears; the event itself has no listener once the pool has handed the connection out (the pool
 * listens only to idle ones), and an unheard 'error' would end the whole process. A connection lost so is released
 * with its error, which destroys it instead of reusing it.
 */
export function watchForConnectionLoss(client: pg.PoolClient): ConnectionWatch {
  let lost: Error | undefined;
  const listener = (error: Error) => {
    lost = error;
  };
  client.on('error', listener);
  return {
    lostWith: () => lost,
    stop: () => {
      client.removeListener('error', listener);
      return lost;
    },
  };
}

/** SQLSTATEs of a server that is going away or not there yet: admin, crash and immediate shutdown, starting up. */
const serverGoingAway = new Set(['57P01', '57P02', '57P03']);
/** Node's errors for a socket that could not connect or was cut. */
const socketFailures = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Whether an error (or one of its causes: drizzle wraps the driver's) says the connection to the server failed or
 * the server is restarting, rather than that the server refused a statement.
 */
export function isConnectionFailure(error: unknown): boolean {
  for (let cause = error; cause; cause = (cause as { cause?: unknown }).cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('08') || serverGoingAway.has(code) || socketFailures.has(code)))
      return true;
    // node-postgres's own words for a socket that closed under a statement, and for a client that lost it before.
    if (
      cause instanceof Error &&
      /^Connection terminated unexpectedly|connection error and is not queryable/.test(cause.message)
    )
      return true;
  }
  return false;
}

/**
 * Work that may run again after its connection was lost (nothing of it can have taken effect) runs up to this many
 * times in all, the waits between growing from 0.1 s to 5 s: about 11 s for a server that restarts or fails over.
 */
export const maxTriesAfterConnectionLoss = 8;

/** How long to wait before try number `failures + 1`, after `failures` tries lost their connection. */
export function waitAfterConnectionLossMs(failures: number): number {
  return Math.min(5_000, 100 * 2 ** (failures - 1)) * (0.5 + Math.random() / 2);
}

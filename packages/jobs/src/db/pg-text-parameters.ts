import type pg from 'pg';

/**
 * PostgreSQL's text cannot hold U+0000 (SQLite's can), and a server-sent name or message may contain it: ONC sent
 * a file named `nul\0byte.csv` in the hostile-names test. Rather than fail the statement, and with it the job, again
 * on every retry, each NUL in a text parameter is stored as U+FFFD, the character for "unrepresentable". Only what
 * is kept for the record changes: file names on disk are chosen by safeFileName, which drops control characters.
 */
function storable(value: unknown): unknown {
  return typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}

type Query = (...args: unknown[]) => unknown;

/** `client`, whose `query` stores NULs as U+FFFD (see above); `connect` is passed through for a pool. */
export function withStorableText<C extends pg.Pool | pg.PoolClient>(client: C, isOpen: () => boolean = () => true) {
  const query: Query = (...args) => {
    if (!isOpen()) throw new Error('a statement was sent through a transaction that has already ended');
    const [config, values, ...rest] = args;
    return (client.query as Query).call(client, config, Array.isArray(values) ? values.map(storable) : values, ...rest);
  };
  return { query, connect: () => (client as pg.Pool).connect() };
}

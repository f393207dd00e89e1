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

/** A statement's parameters as PostgreSQL can store them (see above). */
export function storableParameters(values: unknown): unknown {
  return Array.isArray(values) ? values.map(storable) : values;
}

/** The pool, whose `query` stores NULs as U+FFFD (see above), for drizzle's handle outside transactions. */
export function poolWithStorableText(pool: pg.Pool): Pick<pg.Pool, 'query' | 'connect'> {
  const query: Query = (config, values, ...rest) =>
    (pool.query as Query).call(pool, config, storableParameters(values), ...rest);
  const connect: pg.Pool['connect'] = pool.connect.bind(pool);
  return { query: query as pg.Pool['query'], connect };
}

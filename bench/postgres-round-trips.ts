/**
 * What one round trip to PostgreSQL costs on this machine, apart from the pipeline: 32 loops share a pool of 10
 * connections, each sending one statement after another for a few seconds, and the CPU time of this process and of
 * the server is divided by the round trips made. First through node-postgres itself, then through the core's own
 * calls on its schema (drizzle, the prepared statements, the transaction runner, the reads asked together), so the
 * two tell what the core's layers add. The fast benchmark's PostgreSQL run makes about 13 round trips per file; this
 * tells how much of its CPU per file they can explain. `--loops 1` shows a round trip that finds the other process
 * asleep.
 *
 *   node bench/dist/postgres-round-trips.js [--seconds 4] [--loops 32]
 */
import { parseArgs } from 'node:util';
import { findOrder, inWriteTransaction, openPostgresDatabase, type PostgresDatabase } from '@onc-orders/jobs';
import { createTestDatabase } from '@onc-orders/testkit';
import { ownCpuSeconds, postgresCpuSeconds } from './support/child-process.js';
import { fixed, printRows } from './support/format.js';

const { values: flags } = parseArgs({
  options: { seconds: { type: 'string', default: '4' }, loops: { type: 'string', default: '32' } },
});
const seconds = Number(flags.seconds);
const loops = Number(flags.loops);

/**
 * One unit of work a loop repeats, and how many round trips it makes; for the core's reads, which loops asking at
 * once share, the CPU is given per call instead.
 */
interface Kind {
  name: string;
  roundTrips: number | 'per call';
  run: (row: number) => Promise<void>;
}

function kindsOn(core: PostgresDatabase): Kind[] {
  const { pool } = core;
  return [
    {
      name: 'node-postgres: a read by primary key (named prepared statement)',
      roundTrips: 1,
      run: async (row) => {
        await pool.query({ name: 'read_row', text: 'SELECT n FROM round_trip WHERE id = $1', values: [row] });
      },
    },
    {
      name: 'node-postgres: BEGIN, an update by primary key, COMMIT',
      roundTrips: 3,
      run: async (row) => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
          await client.query({
            name: 'bump_row',
            text: 'UPDATE round_trip SET n = n + 1 WHERE id = $1',
            values: [row],
          });
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      },
    },
    {
      name: "the core: an order's row by id (findOrder: drizzle, reads asked at once go out together)",
      roundTrips: 'per call',
      run: async (row) => {
        await findOrder(core.db, `order-${row}`);
      },
    },
    {
      name: 'the core: the same read in a write transaction (BEGIN, the read, COMMIT)',
      roundTrips: 3,
      run: async (row) => {
        await inWriteTransaction(core.db, (tx) => findOrder(tx, `order-${row}`));
      },
    },
  ];
}

const database = await createTestDatabase({ poolMax: 1 });
const core = await openPostgresDatabase(database.url, { poolMax: 10 });
const rows: Array<[string, string]> = [];
try {
  await core.pool.query('CREATE TABLE round_trip (id integer PRIMARY KEY, n integer NOT NULL)');
  await core.pool.query('INSERT INTO round_trip SELECT g, 0 FROM generate_series(1, $1::integer) g', [loops]);
  await core.pool.query(
    `INSERT INTO orders (id, status, spec, submitted_spec, product_count)
     SELECT 'order-' || g, 'running', '{}', '{}', 0 FROM generate_series(1, $1::integer) g`,
    [loops],
  );
  for (const kind of kindsOn(core)) {
    let trips = 0;
    let stop = false;
    const cpuBefore = ownCpuSeconds();
    const serverBefore = postgresCpuSeconds();
    const began = performance.now();
    const loop = async (row: number) => {
      while (!stop) {
        await kind.run(row);
        trips += kind.roundTrips === 'per call' ? 1 : kind.roundTrips;
      }
    };
    const running = Array.from({ length: loops }, (_, i) => loop(i + 1));
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    stop = true;
    await Promise.all(running);
    const wallS = (performance.now() - began) / 1000;
    const clientUs = ((ownCpuSeconds() - cpuBefore) * 1e6) / trips;
    const serverUs = ((postgresCpuSeconds() - serverBefore) * 1e6) / trips;
    const unit = kind.roundTrips === 'per call' ? 'call' : 'round trip';
    rows.push([
      kind.name,
      `${fixed(trips / wallS, 0)} ${unit}s/s; CPU per ${unit}: ${fixed(clientUs, 0)} µs here + ${fixed(serverUs, 0)} µs in the server`,
    ]);
  }
} finally {
  await core.close();
  await database.drop();
}
printRows(`postgres-round-trips (${loops} loops, pool of 10, ${seconds} s each)`, rows);

/**
 * What one round trip to PostgreSQL costs on this machine, apart from the pipeline: 32 loops share a pool of 10
 * connections, each sending one statement after another for a few seconds, and the CPU time of this process and of
 * the server is divided by the round trips made. The fast benchmark's PostgreSQL run makes about 18 round trips per
 * file; this tells how much of its CPU per file they can explain.
 *
 *   node bench/dist/postgres-round-trips.js [--seconds 4] [--loops 32]
 */
import { parseArgs } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@onc-orders/testkit';
import { ownCpuSeconds, postgresCpuSeconds } from './support/child-process.js';
import { fixed, printRows } from './support/format.js';

const { values: flags } = parseArgs({
  options: { seconds: { type: 'string', default: '4' }, loops: { type: 'string', default: '32' } },
});
const seconds = Number(flags.seconds);
const loops = Number(flags.loops);

type Pool = TestDatabase['pool'];

/** One unit of work a loop repeats, and how many round trips it makes. */
interface Kind {
  name: string;
  roundTrips: number;
  run: (pool: Pool, row: number) => Promise<void>;
}

const kinds: Kind[] = [
  {
    name: 'a read by primary key (named prepared statement)',
    roundTrips: 1,
    run: async (pool, row) => {
      await pool.query({ name: 'read_row', text: 'SELECT n FROM round_trip WHERE id = $1', values: [row] });
    },
  },
  {
    name: 'BEGIN, an update by primary key, COMMIT',
    roundTrips: 3,
    run: async (pool, row) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
        await client.query({ name: 'bump_row', text: 'UPDATE round_trip SET n = n + 1 WHERE id = $1', values: [row] });
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
  },
];

const database = await createTestDatabase({ poolMax: 10 });
const rows: Array<[string, string]> = [];
try {
  await database.pool.query('CREATE TABLE round_trip (id integer PRIMARY KEY, n integer NOT NULL)');
  await database.pool.query('INSERT INTO round_trip SELECT g, 0 FROM generate_series(1, $1::integer) g', [loops]);
  for (const kind of kinds) {
    let trips = 0;
    let stop = false;
    const cpuBefore = ownCpuSeconds();
    const serverBefore = postgresCpuSeconds();
    const began = performance.now();
    const loop = async (row: number) => {
      while (!stop) {
        await kind.run(database.pool, row);
        trips += kind.roundTrips;
      }
    };
    const running = Array.from({ length: loops }, (_, i) => loop(i + 1));
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    stop = true;
    await Promise.all(running);
    const wallS = (performance.now() - began) / 1000;
    const clientUs = ((ownCpuSeconds() - cpuBefore) * 1e6) / trips;
    const serverUs = ((postgresCpuSeconds() - serverBefore) * 1e6) / trips;
    rows.push([
      kind.name,
      `${fixed(trips / wallS, 0)} round trips/s; CPU per round trip: ${fixed(clientUs, 0)} µs here + ${fixed(serverUs, 0)} µs in the server`,
    ]);
  }
} finally {
  await database.drop();
}
printRows(`postgres-round-trips (${loops} loops, pool of 10, ${seconds} s each)`, rows);

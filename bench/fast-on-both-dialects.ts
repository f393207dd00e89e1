/**
 * The fast pipeline benchmark on each state store, one after the other on the same machine: SQLite (one host) and
 * PostgreSQL (many hosts). Prints each rate and PostgreSQL's against SQLite's; the target is that PostgreSQL is not
 * more than 30% slower.
 *
 *   node bench/dist/fast-on-both-dialects.js [flags for pipeline-throughput, e.g. --products 400]
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fixed, log, printRows, verdict } from './support/format.js';

interface Result {
  database: string;
  files: number;
  wallS: number;
  filesPerS: number;
  steadyRate: number;
  mismatches: number;
}

const script = fileURLToPath(new URL('./pipeline-throughput.js', import.meta.url));

/** Runs one benchmark, its report passed through, and returns its RESULT line. */
function run(database: 'sqlite' | 'postgres'): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [script, '--mode', 'fast', '--database', database, ...process.argv.slice(2)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = output.split('\n').find((text) => text.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`the ${database} run ended with ${code} and no RESULT line`));
      else resolve(JSON.parse(line.slice('RESULT '.length)) as Result);
    });
  });
}

const sqlite = await run('sqlite');
log('SQLite done; now PostgreSQL');
const postgres = await run('postgres');
const ratio = postgres.filesPerS / sqlite.filesPerS;
printRows('the fast benchmark on both state stores', [
  ['SQLite: files/s (overall, steady)', `${fixed(sqlite.filesPerS, 1)}, ${fixed(sqlite.steadyRate, 1)}`],
  ['PostgreSQL: files/s (overall, steady)', `${fixed(postgres.filesPerS, 1)}, ${fixed(postgres.steadyRate, 1)}`],
  ['PostgreSQL / SQLite (overall)', fixed(ratio, 3)],
  ['target: PostgreSQL at most 30% slower', verdict(ratio >= 0.7)],
  ['every file verified on both', verdict(sqlite.mismatches === 0 && postgres.mismatches === 0)],
]);
process.stdout.write(`RESULT ${JSON.stringify({ sqlite: sqlite.filesPerS, postgres: postgres.filesPerS, ratio })}\n`);

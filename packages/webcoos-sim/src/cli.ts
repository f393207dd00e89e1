#!/usr/bin/env node
/** `webcoos-sim`: runs the WebCOOS simulator until SIGINT/SIGTERM. See `webcoos-sim --help`. */
import { CommanderError } from 'commander';
import { startFromCli } from './cli-program.js';

const io = { out: (line: string) => console.log(line), err: (line: string) => console.error(line) };

try {
  const sim = await startFromCli(process.argv.slice(2), io);
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}

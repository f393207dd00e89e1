/**
 * What a benchmark must undo (processes, temp dirs, Redis keys), run last-in first-out on success, on failure and on
 * Ctrl-C, each step on its own so one failing step does not leave the rest behind.
 */
export class Cleanup {
  readonly #steps: Array<{ name: string; run: () => unknown }> = [];
  #running: Promise<void> | undefined;
  /** Set once Ctrl-C (or SIGTERM) arrived: whatever the benchmark body throws after that is a consequence. */
  interrupted = false;

  constructor() {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        this.interrupted = true;
        process.stderr.write(`\n${signal}: cleaning up…\n`);
        void this.run().finally(() => process.exit(130));
      });
    }
  }

  defer(name: string, run: () => unknown): void {
    this.#steps.push({ name, run });
  }

  run(): Promise<void> {
    this.#running ??= (async () => {
      for (let step = this.#steps.pop(); step; step = this.#steps.pop()) {
        try {
          await step.run();
        } catch (error) {
          process.stderr.write(
            `cleanup "${step.name}" failed: ${error instanceof Error ? error.message : String(error)}\n`,
          );
        }
      }
    })();
    return this.#running;
  }
}

/** Runs `body`, then the cleanup; exits 0 when it went well, 1 when the body threw, 130 when interrupted. */
export async function runBenchmark(body: (cleanup: Cleanup) => Promise<void>): Promise<void> {
  const cleanup = new Cleanup();
  let failed = false;
  try {
    await body(cleanup);
  } catch (error) {
    failed = true;
    if (!cleanup.interrupted) {
      process.stderr.write(
        `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
  }
  await cleanup.run();
  process.exit(cleanup.interrupted ? 130 : failed ? 1 : 0);
}

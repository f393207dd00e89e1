/**
 * The finishing work of jobs that gave up their queue slot early (a large download's fsync, rename and records), run
 * in this process after their job, a bounded number at a time so they cannot pile up past what the process could run
 * as jobs. A shutdown waits for them.
 */
export class FinishesAfterSlot {
  readonly #running = new Set<Promise<void>>();

  constructor(private readonly limit: number) {}

  /**
   * Starts `finish` unless `limit` are already running (then the caller runs it itself, inside its job). `settle` runs
   * once it has ended, whatever the outcome; a failure goes to `onFailure`.
   */
  tryStart(
    finish: () => Promise<void>,
    settle: () => Promise<void>,
    onFailure: (error: unknown) => Promise<void>,
  ): boolean {
    if (this.#running.size >= this.limit) return false;
    const running = finish()
      .catch(onFailure)
      .catch(() => undefined)
      // Ending a lease can fail (the database busy past its timeout); the lease then simply expires.
      .then(() => settle().catch(() => undefined))
      .finally(() => this.#running.delete(running));
    this.#running.add(running);
    return true;
  }

  /** Resolves once every finish started so far has ended. */
  async settled(): Promise<void> {
    await Promise.all([...this.#running]);
  }
}

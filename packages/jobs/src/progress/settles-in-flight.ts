/**
 * The product settles this process is running, by product. A product's files often end together, and each then
 * settles it: without this, every one after the first opens a transaction, waits on the product's lock and finds it
 * ended, three round trips to the database for nothing.
 */
export class SettlesInFlight {
  readonly #running = new Map<number, Promise<boolean>>();

  /**
   * Runs `attempt` for the product unless one already running leaves it ended; `attempt` resolves to whether the
   * product has ended when it has finished. A settle that found a file still open (possibly the caller's own, before
   * its end was committed) proves nothing, so the caller then runs its own. Settles of one product that find it still
   * open may run side by side: the database orders them.
   */
  async settle(productId: number, attempt: () => Promise<boolean>): Promise<void> {
    const running = this.#running.get(productId);
    if (running && (await running.catch(() => false))) return;
    const mine = attempt();
    this.#running.set(productId, mine);
    try {
      await mine;
    } finally {
      if (this.#running.get(productId) === mine) this.#running.delete(productId);
    }
  }
}

/**
 * Where the simulator reads the time. Every time-dependent answer (a run's status, whether a file has reached
 * the FTP server, whether a date range starts in the future) is derived from `now()`, so a test that wants full
 * control passes a {@link ManualClock} and moves time itself.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  #now: number;

  /** @param startMs the initial time, in ms since the epoch; defaults to the real current time. */
  constructor(startMs: number = Date.now()) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Moves the clock forward by `ms` milliseconds (negative values are refused). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be >= 0, got ${ms}`);
    this.#now += ms;
  }

  /** Sets the clock to an absolute time, in ms since the epoch. */
  set(ms: number): void {
    this.#now = ms;
  }
}

import { describe, expect, it } from 'vitest';
import { nextCheckDelayMs, pollDelayMs } from '../src/poll-delay.js';

describe('the wait before checking on ONC again', () => {
  it("is 2% of ONC's processing estimate, clamped to 1-30 s", () => {
    expect(pollDelayMs(500, 1_000, 30_000)).toBe(10_000);
    expect(pollDelayMs(20, 1_000, 30_000)).toBe(1_000);
    expect(pollDelayMs(36_000, 1_000, 30_000)).toBe(30_000);
  });

  it('falls back to the lower bound when ONC gave no estimate', () => {
    expect(pollDelayMs(null, 1_000, 30_000)).toBe(1_000);
    expect(pollDelayMs(undefined, 1_000, 30_000)).toBe(1_000);
  });
});

/** The times of the checks a product gets from its run call until it is found ready at `readyAt` (ms). */
function checksUntilReady(estimateSeconds: number | null, readyAt: number, pace: 'closing-in' | 'regular') {
  const checks: number[] = [];
  let now = 0;
  while (checks.length < 10_000) {
    now +=
      pace === 'regular'
        ? pollDelayMs(estimateSeconds, 1_000, 30_000)
        : nextCheckDelayMs({ estimatedProcessingSeconds: estimateSeconds, runAt: 0, now, minMs: 1_000, maxMs: 30_000 });
    checks.push(now);
    if (now >= readyAt) return checks;
  }
  throw new Error('never found ready');
}

describe('closing in on the estimate', () => {
  it('finds a product ready near its estimate within a quarter second, with no more checks than the regular pace', () => {
    // ONC estimates 4 s (rounded up); the product is ready after 3.5 s.
    const closing = checksUntilReady(4, 3_500, 'closing-in');
    const regular = checksUntilReady(4, 3_500, 'regular');
    expect((closing.at(-1) ?? 0) - 3_500).toBeLessThanOrEqual(250);
    expect((regular.at(-1) ?? 0) - 3_500).toBe(500);
    expect(closing.length).toBeLessThanOrEqual(regular.length);
  });

  it('slows back down to the regular pace for a product far past its estimate', () => {
    const checks = checksUntilReady(4, 600_000, 'closing-in');
    const gaps = checks.slice(1).map((at, i) => at - (checks[i] ?? 0));
    expect(gaps.at(-1)).toBe(1_000);
    // Ten minutes at the regular one-second pace is 600 checks; the quick ones after the estimate add a handful.
    expect(checks.length).toBeLessThan(615);
  });

  it('keeps to the upper bound while a long estimate is far off, and to the regular pace with no estimate', () => {
    expect(nextCheckDelayMs({ estimatedProcessingSeconds: 3_600, runAt: 0, now: 0, minMs: 1_000, maxMs: 30_000 })).toBe(
      30_000,
    );
    expect(nextCheckDelayMs({ estimatedProcessingSeconds: null, runAt: 0, now: 0, minMs: 1_000, maxMs: 30_000 })).toBe(
      1_000,
    );
  });
});

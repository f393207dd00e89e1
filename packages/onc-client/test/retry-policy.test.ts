import { describe, expect, it } from 'vitest';
import { backoffDelayMs, isRetryable, type OutcomeKind } from '@onc-orders/onc-client';

describe('isRetryable', () => {
  it('retries transient outcomes only', () => {
    const kinds: OutcomeKind[] = [
      'ok',
      'notReady',
      'endOfFiles',
      'gone',
      'runFailed',
      'cancelled',
      'rejected',
      'transient',
    ];
    expect(kinds.filter((kind) => isRetryable({ kind }))).toEqual(['transient']);
  });
});

describe('backoffDelayMs', () => {
  const almostOne = () => 0.999_999;

  it('doubles the ceiling per attempt', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelayMs(attempt, { baseMs: 100, random: almostOne }))).toEqual([
      99, 199, 399, 799,
    ]);
  });

  it('never exceeds maxMs, even for absurd attempts', () => {
    expect(backoffDelayMs(50, { baseMs: 100, maxMs: 5_000, random: almostOne })).toBe(4999);
    expect(backoffDelayMs(1e9, { baseMs: 100, maxMs: 5_000, random: almostOne })).toBe(4999);
  });

  it('uses full jitter: anywhere from zero to the ceiling', () => {
    expect(backoffDelayMs(3, { baseMs: 100, random: () => 0 })).toBe(0);
    expect(backoffDelayMs(3, { baseMs: 100, random: () => 0.5 })).toBe(400);
  });

  it('treats a negative attempt as the first', () => {
    expect(backoffDelayMs(-4, { baseMs: 100, random: almostOne })).toBe(99);
  });

  it('defaults to a one-second base and a one-minute cap', () => {
    for (let i = 0; i < 50; i += 1) {
      const delay = backoffDelayMs(20);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(60_000);
    }
    expect(backoffDelayMs(0, { random: almostOne })).toBe(999);
  });
});

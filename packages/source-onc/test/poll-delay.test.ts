import { describe, expect, it } from 'vitest';
import { pollDelayMs } from '../src/poll-delay.js';

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

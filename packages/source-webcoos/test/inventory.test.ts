import { describe, expect, it } from 'vitest';
import { readDailyInventory, windowInventory } from '../src/inventory.js';

const day = (d: string) => Date.parse(`${d}T00:00:00Z`);

describe("a service's daily inventory", () => {
  // pywebcoos's fixed column order, one of the orders a server may send: the columns are found by name.
  const answer = {
    results: [
      { type: 'inventory', name: 'monthly', meta: { fields: [] }, values: [] },
      {
        type: 'inventory',
        name: 'daily',
        meta: {
          fields: ['starting', 'has_data', 'ending', 'count', 'size', 'data_starting', 'data_ending'].map((name) => ({
            name,
            type: 'x',
            label: name,
          })),
        },
        values: [
          ['2024-06-01 00:00:00+00:00', 1, '2024-06-02 00:00:00+00:00', 10, 1000, null, null],
          ['2024-06-02 00:00:00+00:00', 0, '2024-06-03 00:00:00+00:00', 0, 0, null, null],
          ['2024-06-03 00:00:00+00:00', 1, '2024-06-04 00:00:00+00:00', 5, 500, null, null],
        ],
      },
    ],
  };

  it('counts whole-day windows exactly, and days it does not list as empty', () => {
    const days = readDailyInventory(answer);
    expect(days).toHaveLength(3);
    expect(windowInventory(days ?? [], day('2024-06-01'), day('2024-06-02'))).toEqual({
      count: 10,
      bytes: 1000,
      hasData: true,
    });
    expect(windowInventory(days ?? [], day('2024-06-02'), day('2024-06-03'))).toEqual({
      count: 0,
      bytes: 0,
      hasData: false,
    });
    expect(windowInventory(days ?? [], day('2024-06-01'), day('2024-06-08'))).toEqual({
      count: 15,
      bytes: 1500,
      hasData: true,
    });
    expect(windowInventory(days ?? [], day('2024-07-01'), day('2024-07-02'))).toEqual({
      count: 0,
      bytes: 0,
      hasData: false,
    });
  });

  it('knows only whether a part of a day may have data', () => {
    const days = readDailyInventory(answer) ?? [];
    const sixHours = 6 * 3600 * 1000;
    expect(windowInventory(days, day('2024-06-01'), day('2024-06-01') + sixHours)).toEqual({
      count: null,
      bytes: null,
      hasData: true,
    });
    expect(windowInventory(days, day('2024-06-02'), day('2024-06-02') + sixHours).hasData).toBe(false);
  });

  it('is unknown when the answer has no readable daily inventory', () => {
    expect(readDailyInventory({ results: [] })).toBeUndefined();
    expect(
      readDailyInventory({ results: [{ name: 'daily', meta: { fields: [{ name: 'when' }] }, values: [] }] }),
    ).toBeUndefined();
    expect(readDailyInventory('<html>')).toBeUndefined();
  });
});

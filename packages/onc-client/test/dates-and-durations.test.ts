import { describe, expect, it } from 'vitest';
import {
  OncValidationError,
  addIsoDuration,
  formatOncDate,
  parseIsoDuration,
  parseOncDate,
  resolveTimeRange,
} from '@onc-orders/onc-client';

const at = (iso: string): Date => new Date(iso);

describe('parseIsoDuration', () => {
  it('reads a negative day-and-hour duration', () => {
    expect(parseIsoDuration('-P1DT1H')).toEqual({
      sign: -1,
      years: 0,
      months: 0,
      days: 1,
      hours: 1,
      minutes: 0,
      seconds: 0,
    });
  });

  it('reads every component, folding weeks into days', () => {
    expect(parseIsoDuration('P1Y2M3W4DT5H6M7.5S')).toEqual({
      sign: 1,
      years: 1,
      months: 2,
      days: 25,
      hours: 5,
      minutes: 6,
      seconds: 7.5,
    });
  });

  it('tells minutes from months by the T', () => {
    expect(parseIsoDuration('PT12H30M')).toMatchObject({ months: 0, hours: 12, minutes: 30 });
    expect(parseIsoDuration('P1M')).toMatchObject({ months: 1, minutes: 0 });
  });

  it.each(['P', 'PT', 'P1DT', '1D', 'P1H', 'PT1D', '-', 'P-1D', 'P1.5D', ''])('rejects %j', (text) => {
    expect(() => parseIsoDuration(text)).toThrow(OncValidationError);
  });
});

describe('addIsoDuration', () => {
  it('adds clock time', () => {
    expect(addIsoDuration(at('2016-07-25T00:00:00.000Z'), parseIsoDuration('PT12H30M'))).toEqual(
      at('2016-07-25T12:30:00.000Z'),
    );
  });

  it('honours the duration sign and the direction', () => {
    const base = at('2016-07-25T00:00:00.000Z');
    expect(addIsoDuration(base, parseIsoDuration('-P1DT1H'))).toEqual(at('2016-07-23T23:00:00.000Z'));
    expect(addIsoDuration(base, parseIsoDuration('P1DT1H'), -1)).toEqual(at('2016-07-23T23:00:00.000Z'));
    expect(addIsoDuration(base, parseIsoDuration('-P1D'), -1)).toEqual(at('2016-07-26T00:00:00.000Z'));
  });

  it('clamps to the end of a shorter month like java.time', () => {
    expect(addIsoDuration(at('2024-01-31T06:00:00.000Z'), parseIsoDuration('P1M'))).toEqual(
      at('2024-02-29T06:00:00.000Z'),
    );
    expect(addIsoDuration(at('2024-03-31T00:00:00.000Z'), parseIsoDuration('-P1M'))).toEqual(
      at('2024-02-29T00:00:00.000Z'),
    );
    expect(addIsoDuration(at('2024-02-29T00:00:00.000Z'), parseIsoDuration('P1Y'))).toEqual(
      at('2025-02-28T00:00:00.000Z'),
    );
  });

  it('crosses year boundaries with months', () => {
    expect(addIsoDuration(at('2023-11-15T00:00:00.000Z'), parseIsoDuration('P3M'))).toEqual(
      at('2024-02-15T00:00:00.000Z'),
    );
  });
});

describe('formatOncDate and parseOncDate', () => {
  it('formats with milliseconds and Z', () => {
    expect(formatOncDate(new Date(Date.UTC(2016, 6, 25, 1, 2, 3, 4)))).toBe('2016-07-25T01:02:03.004Z');
  });

  it('reads both documented forms', () => {
    expect(parseOncDate('2010-07-27')).toEqual(at('2010-07-27T00:00:00.000Z'));
    expect(parseOncDate('2016-07-25T13:14:15.016Z')).toEqual(at('2016-07-25T13:14:15.016Z'));
  });

  it.each(['2021-02-30', '2016-07-25T24:00:00.000Z', '2016-07-25T00:00:00Z', '2016-07-25T00:00:00.000', '25/07/2016'])(
    'rejects %j',
    (text) => {
      expect(parseOncDate(text)).toBeUndefined();
    },
  );
});

describe('resolveTimeRange', () => {
  it('resolves absolute dates, a bare date meaning midnight UTC', () => {
    expect(resolveTimeRange('2016-07-25', '2016-07-29T00:00:00.000Z')).toEqual({
      from: at('2016-07-25T00:00:00.000Z'),
      to: at('2016-07-29T00:00:00.000Z'),
    });
  });

  it('resolves a dateFrom duration relative to dateTo', () => {
    expect(resolveTimeRange('-P1DT1H', '2016-07-29T00:00:00.000Z')).toEqual({
      from: at('2016-07-27T23:00:00.000Z'),
      to: at('2016-07-29T00:00:00.000Z'),
    });
  });

  it('resolves a dateTo duration relative to dateFrom', () => {
    expect(resolveTimeRange('2016-07-25T00:00:00.000Z', 'PT12H30M')).toEqual({
      from: at('2016-07-25T00:00:00.000Z'),
      to: at('2016-07-25T12:30:00.000Z'),
    });
  });

  function issuesOf(dateFrom: string, dateTo: string): Array<{ field: string; message: string }> {
    try {
      resolveTimeRange(dateFrom, dateTo);
    } catch (error) {
      expect(error).toBeInstanceOf(OncValidationError);
      return (error as OncValidationError).issues;
    }
    throw new Error('expected resolveTimeRange to throw');
  }

  it('refuses two durations', () => {
    const issues = issuesOf('-P1D', 'PT1H');
    expect(issues.map((issue) => issue.field)).toEqual(['dateFrom/dateTo']);
    expect(issues[0]?.message).toMatch(/both/);
  });

  it('refuses an end that is not after the start', () => {
    expect(issuesOf('2016-07-29', '2016-07-25')[0]?.field).toBe('dateFrom/dateTo');
    expect(issuesOf('2016-07-29', '2016-07-29')[0]?.field).toBe('dateFrom/dateTo');
    expect(issuesOf('P1D', '2016-07-29')[0]?.field).toBe('dateFrom/dateTo');
  });

  it('names each unparseable end', () => {
    expect(issuesOf('yesterday', 'today').map((issue) => issue.field)).toEqual(['dateFrom', 'dateTo']);
  });
});

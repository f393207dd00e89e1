import { describe, expect, it } from 'vitest';
import { applyDuration, fileNameStamp, parseDateParam, resolveDateRange } from '../src/onc-dates.js';

const ms = (iso: string) => Date.parse(iso);

describe('ONC date parameters', () => {
  it.each([
    ['2016-07-25T00:00:00.000Z', '2016-07-25T00:00:00.000Z'],
    ['2016-07-25T10:11:12Z', '2016-07-25T10:11:12.000Z'],
    ['2016-07-25T10:11:12.5Z', '2016-07-25T10:11:12.500Z'],
    ['2010-07-27', '2010-07-27T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('reads %s as an instant', (text, iso) => {
    expect(parseDateParam(text)).toEqual({ kind: 'instant', ms: ms(iso) });
  });

  it.each([
    '2016-07-25T00:00:00.000',
    '2016/07/25',
    '2023-02-29',
    '2016-13-01',
    '2016-07-25T24:00:00Z',
    'P',
    'PT',
    '-P',
    'P1H',
    'yesterday',
    '',
  ])('refuses %j', (text) => {
    expect(parseDateParam(text)).toBeNull();
  });

  it('reads durations, signed and with every unit', () => {
    expect(parseDateParam('-P1DT1H')).toEqual({
      kind: 'duration',
      duration: { sign: -1, years: 0, months: 0, weeks: 0, days: 1, hours: 1, minutes: 0, seconds: 0 },
    });
    const d = parseDateParam('P1Y2M3W4DT5H6M7.5S');
    expect(d?.kind).toBe('duration');
    if (d?.kind !== 'duration') return;
    expect(new Date(applyDuration(ms('2020-01-31T00:00:00.000Z'), d.duration)).toISOString()).toBe(
      '2021-04-25T05:06:07.500Z',
    );
  });

  it('resolves a range with one duration end, and applies the range checks', () => {
    const now = ms('2024-01-01T00:00:00.000Z');
    expect(resolveDateRange('-PT12H30M', '2020-01-02', now)).toEqual({
      ok: true,
      fromMs: ms('2020-01-01T11:30:00.000Z'),
      toMs: ms('2020-01-02T00:00:00.000Z'),
    });
    expect(resolveDateRange('2020-01-02', 'P1W', now)).toMatchObject({
      ok: true,
      toMs: ms('2020-01-09T00:00:00.000Z'),
    });
    expect(resolveDateRange('-P1D', 'PT1H', now)).toMatchObject({ ok: false, error: { errorCode: 127 } });
    expect(resolveDateRange('2020-01-02', '-P1D', now)).toMatchObject({ ok: false, error: { errorCode: 23 } });
    expect(resolveDateRange('2020-01-02', '2020-01-02T00:00:00.000Z', now)).toMatchObject({
      ok: false,
      error: { errorCode: 127 },
    });
    expect(resolveDateRange('2024-01-02', '2024-01-03', now)).toMatchObject({ ok: false, error: { errorCode: 25 } });
  });

  it('stamps file names the way ONC does', () => {
    expect(fileNameStamp(ms('2016-07-27T00:00:05.000Z'))).toBe('20160727T000005Z');
  });
});

import { describe, expect, it } from 'vitest';
import { classifyAnswer } from '../src/index.js';

describe('archive listings', () => {
  it('reads names and objects, and keeps the next page query without the token', () => {
    const outcome = classifyAnswer('archivefile/location', {
      httpStatus: 200,
      body: {
        kind: 'json',
        value: {
          next: { parameters: { token: 'secret-token', locationCode: 'BACAX', page: 2, rowLimit: 5 }, url: 'x' },
          queryUrl: 'x',
          files: ['a.wav', { filename: 'b.wav', fileSize: '120', compression: 'gz', dateFrom: '2016-07-25' }],
          messages: ['2 recent file(s) are not listed yet', 7],
        },
      },
    });
    expect(outcome.kind).toBe('ok');
    if (outcome.kind !== 'ok') return;
    expect(outcome.value.next).toEqual({ locationCode: 'BACAX', page: '2', rowLimit: '5' });
    expect(outcome.value.files).toEqual([
      { filename: 'a.wav' },
      { filename: 'b.wav', fileSize: 120, compression: 'gz', dateFrom: '2016-07-25' },
    ]);
    expect(outcome.value.messages).toEqual(['2 recent file(s) are not listed yet']);
  });

  it('ends with a null next, and refuses a listing without files', () => {
    const last = classifyAnswer('archivefile/device', {
      httpStatus: 200,
      body: { kind: 'json', value: { next: null, files: [] } },
    });
    expect(last.kind === 'ok' && last.value.next).toBe(null);
    expect(() =>
      classifyAnswer('archivefile/device', { httpStatus: 200, body: { kind: 'json', value: { next: null } } }),
    ).toThrow(/files/);
  });

  it('takes discovery’s 404 as nothing found, and its 400 as a refusal', () => {
    const none = classifyAnswer('dataProducts', {
      httpStatus: 404,
      body: { kind: 'json', value: { message: 'none' } },
    });
    expect(none).toMatchObject({ kind: 'ok', value: [] });
    const refused = classifyAnswer('locations', {
      httpStatus: 400,
      body: {
        kind: 'json',
        value: { errors: [{ errorCode: 127, errorMessage: 'Invalid parameter value', parameter: 'locationCode' }] },
      },
    });
    expect(refused.kind).toBe('rejected');
  });
});

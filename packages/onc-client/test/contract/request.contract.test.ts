import { describe, expect, it } from 'vitest';
import {
  OncClient,
  OncRejectedError,
  OncValidationError,
  isRetryable,
  parseByteSize,
  parseSeconds,
} from '@onc-orders/onc-client';
import { CTD_FILTERS, TOKEN, rejectionOf, startHarness } from './sim-harness.js';

describe('request against the simulator', () => {
  it('reads bare-number estimates, disclaimer, citations and messages', async () => {
    const { client } = await startHarness({
      sim: { behaviour: { estimates: 'bare', requestMessages: ['Data quality may be reduced for this period'] } },
    });
    const outcome = await client.request(CTD_FILTERS);
    expect(outcome.kind).toBe('ok');
    if (outcome.kind !== 'ok') return;
    const result = outcome.value;
    expect(result.dpRequestId).toBeGreaterThan(0);
    expect(result.estimatedFileSizeText).toMatch(/^\d+$/);
    expect(result.estimatedFileSizeBytes).toBe(Number(result.estimatedFileSizeText));
    expect(result.estimatedProcessingSeconds).toBe(Number(result.estimatedProcessingTimeText));
    expect(result.disclaimer).toMatch(/estimates/);
    expect(result.citations.length).toBeGreaterThan(0);
    expect(result.messages).toEqual(['Data quality may be reduced for this period']);
    expect(result.raw.dpRequestId).toBe(result.dpRequestId);
  });

  it('reads estimates with units', async () => {
    const { client } = await startHarness({ sim: { behaviour: { estimates: 'units', fileSizeBytes: 75_500 } } });
    const outcome = await client.request(CTD_FILTERS);
    if (outcome.kind !== 'ok') return expect.fail(`request answered ${outcome.kind}`);
    const { estimatedFileSizeText, estimatedProcessingTimeText } = outcome.value;
    expect(estimatedFileSizeText).toBe('151 kB');
    expect(outcome.value.estimatedFileSizeBytes).toBe(151_000);
    expect(estimatedProcessingTimeText).toMatch(/^\d+ (s|min|hour)$/);
    expect(outcome.value.estimatedProcessingSeconds).toBe(parseSeconds(estimatedProcessingTimeText ?? ''));
    expect(outcome.value.estimatedProcessingSeconds).toBeGreaterThan(0);
  });

  it('keeps prose estimates as text and leaves the numbers undefined', async () => {
    const { client } = await startHarness({ sim: { behaviour: { estimates: 'prose' } } });
    const outcome = await client.request(CTD_FILTERS);
    if (outcome.kind !== 'ok') return expect.fail(`request answered ${outcome.kind}`);
    expect(outcome.value.estimatedFileSizeText).toMatch(/no estimated file size/i);
    expect(outcome.value.estimatedFileSizeBytes).toBeUndefined();
    expect(outcome.value.estimatedProcessingTimeText).toMatch(/no processing time/i);
    expect(outcome.value.estimatedProcessingSeconds).toBeUndefined();
    expect(parseByteSize(outcome.value.estimatedFileSizeText ?? '')).toBeUndefined();
  });

  it('reads the archive shape', async () => {
    const { client } = await startHarness({
      sim: { behaviour: { requestShape: 'archive', filesPerRun: 4, fileSizeBytes: 1000 } },
    });
    const outcome = await client.request(CTD_FILTERS);
    if (outcome.kind !== 'ok') return expect.fail(`request answered ${outcome.kind}`);
    expect(outcome.value).toMatchObject({ numFiles: 4, fileSize: 4000, compressedFileSize: 720 });
    expect(Object.keys(outcome.value.downloadTimes ?? {})).toEqual(['10Mbps', '50Mbps', '150Mbps']);
    expect(outcome.value.estimatedFileSizeText).toBeUndefined();
  });

  it.each([
    ['path', 'path'],
    ['method', 'query'],
  ] as const)('sends the %s URL form with the token and filters in the query', async (urlStyle, simForm) => {
    const { client, sim, calls } = await startHarness({ client: { urlStyle } });
    const outcome = await client.request({ ...CTD_FILTERS, dpo_qualityControl: '1' });
    expect(outcome.kind).toBe('ok');
    const [received] = sim.calls();
    expect(received).toMatchObject({ urlForm: simForm, method: 'request', status: 200 });
    expect(received?.params).toMatchObject({ ...CTD_FILTERS, dpo_qualityControl: '1', token: 'REDACTED' });
    expect(calls[0]?.url).toContain(urlStyle === 'path' ? '/api/dataProductDelivery/request?' : 'method=request');
  });

  it('validates locally: invalid filters throw before any HTTP call', async () => {
    const { client, sim } = await startHarness();
    const error = await rejectionOf(client.request({ ...CTD_FILTERS, deviceCode: 'X', colour: 'red' }));
    expect(error).toBeInstanceOf(OncValidationError);
    expect((error as OncValidationError).issues.map((issue) => issue.field)).toEqual([
      'colour',
      'locationCode/deviceCategoryCode/deviceCode/propertyCode',
    ]);
    expect(sim.calls()).toEqual([]);
  });
});

describe('request rejections (400), never retried', () => {
  // Codes the simulator derives from the filters themselves, for filters that pass local validation.
  it.each([
    ['127 invalid code', { locationCode: 'NOWHERE' }, 127, 'locationCode'],
    ['33 no data', { dateFrom: '2010-01-01T00:00:00.000Z', dateTo: '2010-01-02T00:00:00.000Z' }, 33, 'dateFrom/dateTo'],
    ['39 bad product/extension pair', { extension: 'png' }, 39, 'dataProductCode/extension'],
    ['71 product unavailable for the category', { deviceCategoryCode: 'ADCP2MHZ' }, 71, 'deviceCategoryCode'],
    [
      '71 restricted data',
      { locationCode: 'SIMRST', dateFrom: '2020-06-01T00:00:00.000Z', dateTo: '2020-06-02T00:00:00.000Z' },
      71,
      'dateTo',
    ],
  ])('%s', async (_name, change, errorCode, parameter) => {
    const { client } = await startHarness();
    const outcome = await client.request({ ...CTD_FILTERS, ...change });
    expect(outcome).toMatchObject({ kind: 'rejected', httpStatus: 400, errors: [{ errorCode, parameter }] });
    expect(isRetryable(outcome)).toBe(false);
    if (outcome.kind !== 'rejected') return;
    expect(outcome.error).toBeInstanceOf(OncRejectedError);
    expect(outcome.error).toMatchObject({ errorCode, parameter, httpStatus: 400, method: 'request', retryable: false });
    expect(outcome.error.message).toContain(`errorCode ${errorCode} on "${parameter}"`);
  });

  it('25 start in the future, by the service’s clock', async () => {
    const { client, clock } = await startHarness();
    clock.set(Date.parse('2016-08-01T00:00:00.000Z'));
    const outcome = await client.request({
      ...CTD_FILTERS,
      dateFrom: '2017-01-01T00:00:00.000Z',
      dateTo: '2017-01-02T00:00:00.000Z',
    });
    expect(outcome).toMatchObject({ kind: 'rejected', httpStatus: 400, errors: [{ errorCode: 25 }] });
  });

  // Local validation stops these before they are sent, so the simulator is told to answer them for valid filters.
  it.each([
    [23, 'Invalid Time Range, Start Time is greater than End Time or start time is not provided', 'dateFrom/dateTo'],
    [128, 'Missing parameter', 'dateFrom/dateTo'],
    [
      128,
      'Requested type can not be determined',
      'possible parameter combinations are: locationCode, deviceCategoryCode',
    ],
    [129, 'Invalid parameter name', 'colour'],
  ])('%i %s', async (errorCode, errorMessage, parameter) => {
    const { client } = await startHarness({
      sim: { behaviour: { requestError: { errorCode, errorMessage, parameter } } },
    });
    const outcome = await client.request(CTD_FILTERS);
    expect(outcome).toMatchObject({
      kind: 'rejected',
      httpStatus: 400,
      errors: [{ errorCode, errorMessage, parameter }],
    });
    if (outcome.kind === 'rejected') expect(outcome.error.errorCode).toBe(errorCode);
  });
});

describe('request with a bad token (401)', () => {
  it('127: an invalid token is rejected and never quoted', async () => {
    const { sim } = await startHarness();
    const wrongToken = 'WRONG-token-that-must-not-leak-42';
    const client = new OncClient({ token: wrongToken, baseUrl: sim.url });
    try {
      const outcome = await client.request(CTD_FILTERS);
      expect(outcome).toMatchObject({
        kind: 'rejected',
        httpStatus: 401,
        errors: [{ errorCode: 127, parameter: 'token' }],
      });
      if (outcome.kind !== 'rejected') return;
      expect(outcome.error.message).toContain('HTTP 401');
      expect(JSON.stringify(outcome)).not.toContain(wrongToken);
      expect(outcome.error.message).not.toContain(wrongToken);
      expect(String(outcome.error.stack)).not.toContain(wrongToken);
    } finally {
      await client.close();
    }
  });

  it('128: a missing token', async () => {
    // The client refuses to be built without a token, so the simulator is told to answer as if it were missing.
    const { client } = await startHarness({
      sim: {
        behaviour: {
          requestError: { errorCode: 128, errorMessage: 'Missing parameter', parameter: 'token', httpStatus: 401 },
        },
      },
    });
    const outcome = await client.request(CTD_FILTERS);
    expect(outcome).toMatchObject({
      kind: 'rejected',
      httpStatus: 401,
      errors: [{ errorCode: 128, parameter: 'token' }],
    });
    if (outcome.kind === 'rejected') expect(outcome.error.message).not.toContain(TOKEN);
  });
  it('runs beforeSend once the call has its turn, before the request reaches ONC', async () => {
    let releaseTurn: () => void = () => undefined;
    const turn = new Promise<void>((resolve) => {
      releaseTurn = resolve;
    });
    const order: string[] = [];
    const { client, sim } = await startHarness({
      client: {
        beforeCall: async () => {
          order.push('waiting for its turn');
          await turn;
        },
      },
    });
    const requested = client.request(CTD_FILTERS, undefined, () => {
      order.push(`beforeSend, ONC has seen ${sim.calls().length} call(s)`);
      return Promise.resolve();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order).toEqual(['waiting for its turn']);
    releaseTurn();
    const outcome = await requested;
    expect(outcome.kind).toBe('ok');
    expect(order).toEqual(['waiting for its turn', 'beforeSend, ONC has seen 0 call(s)']);
    expect(sim.calls().map((call) => call.method)).toEqual(['request']);
  });

  it('sends nothing when beforeSend fails', async () => {
    const { client, sim } = await startHarness();
    const error = await rejectionOf(
      client.request(CTD_FILTERS, undefined, () => Promise.reject(new Error('the intent could not be saved'))),
    );
    expect(error).toEqual(new Error('the intent could not be saved'));
    expect(sim.calls()).toEqual([]);
  });
});

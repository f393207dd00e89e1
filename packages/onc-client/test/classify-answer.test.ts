import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  OncCancelledError,
  OncGoneError,
  OncProtocolError,
  OncRejectedError,
  OncRunFailedError,
  OncTransientError,
  classifyAnswer,
  type AnswerBody,
  type OncAnswer,
} from '@onc-orders/onc-client';

const json = (value: unknown): AnswerBody => ({ kind: 'json', value });
const answer = (httpStatus: number, body: AnswerBody = { kind: 'empty' }, retryAfter?: string): OncAnswer =>
  retryAfter === undefined ? { httpStatus, body } : { httpStatus, body, retryAfter };
const tokenErrors = { errors: [{ errorCode: 127, errorMessage: 'Invalid parameter value', parameter: 'token' }] };

describe('classifyAnswer: every method', () => {
  it.each(['request', 'run', 'status', 'download', 'cancel', 'restart'] as const)(
    '%s: 500 is transient, 401 rejected',
    (method) => {
      const serverError = classifyAnswer(method, answer(500, json({ message: 'oops' })));
      expect(serverError).toMatchObject({ kind: 'transient', httpStatus: 500 });
      if (serverError.kind === 'transient') expect(serverError.error).toBeInstanceOf(OncTransientError);

      const unauthorised = classifyAnswer(method, answer(401, json(tokenErrors)));
      expect(unauthorised).toMatchObject({ kind: 'rejected', httpStatus: 401, errors: tokenErrors.errors });
    },
  );

  it('reads Retry-After on 503 and 429, in seconds or as an HTTP-date', () => {
    const now = Date.parse('2024-05-01T12:00:00.000Z');
    expect(classifyAnswer('run', answer(503, { kind: 'empty' }, '7'), {}, now)).toMatchObject({
      kind: 'transient',
      httpStatus: 503,
      retryAfterMs: 7000,
    });
    const limited = classifyAnswer('status', answer(429, { kind: 'empty' }, 'Wed, 01 May 2024 12:01:00 GMT'), {}, now);
    expect(limited).toMatchObject({ kind: 'transient', httpStatus: 429, retryAfterMs: 60_000 });
    if (limited.kind === 'transient') {
      expect(limited.error.retryable).toBe(true);
      expect(limited.error.retryAfterMs).toBe(60_000);
    }
  });

  it('puts the first ONC error on the rejection and names it in the message', () => {
    const outcome = classifyAnswer(
      'run',
      answer(
        400,
        json({
          errors: [
            { errorCode: 129, errorMessage: 'Invalid parameter name', parameter: 'RequestId' },
            { errorCode: 128, errorMessage: 'Missing parameter', parameter: 'dpRequestId' },
          ],
        }),
      ),
      { dpRequestId: 42 },
    );
    expect(outcome.kind).toBe('rejected');
    if (outcome.kind !== 'rejected') return;
    expect(outcome.error).toBeInstanceOf(OncRejectedError);
    expect(outcome.error).toMatchObject({ errorCode: 129, parameter: 'RequestId', dpRequestId: 42, method: 'run' });
    expect(outcome.error.retryable).toBe(false);
    expect(outcome.error.message).toContain('ONC run (dpRequestId 42) was rejected with HTTP 400');
    expect(outcome.error.message).toContain('errorCode 128 on "dpRequestId": Missing parameter');
  });

  it('rejects other 4xx with whatever details there are', () => {
    expect(classifyAnswer('status', answer(403, { kind: 'unparseable', excerpt: '"<html>"' }))).toMatchObject({
      kind: 'rejected',
      httpStatus: 403,
      errors: [],
    });
    const notFound = classifyAnswer('request', answer(404));
    expect(notFound.kind).toBe('rejected');
    if (notFound.kind === 'rejected') expect(notFound.error.message).toContain('baseUrl');
  });

  it('throws OncProtocolError for statuses ONC never sends', () => {
    expect(() => classifyAnswer('status', answer(302))).toThrow(OncProtocolError);
    expect(() => classifyAnswer('run', answer(204))).toThrow(OncProtocolError);
  });
});

describe('classifyAnswer: request', () => {
  it('reads the generated-product shape with units', () => {
    const outcome = classifyAnswer(
      'request',
      answer(
        200,
        json({
          dpRequestId: 1908432,
          estimatedFileSize: '151 kB',
          estimatedProcessingTime: '3 min',
          disclaimer: 'rough',
          citations: [{ doi: '10.1/x' }],
          messages: ['Data quality warning'],
        }),
      ),
    );
    expect(outcome).toMatchObject({
      kind: 'ok',
      httpStatus: 200,
      value: {
        dpRequestId: 1908432,
        estimatedFileSizeBytes: 151_000,
        estimatedProcessingSeconds: 180,
        estimatedFileSizeText: '151 kB',
        estimatedProcessingTimeText: '3 min',
        disclaimer: 'rough',
        citations: [{ doi: '10.1/x' }],
        messages: ['Data quality warning'],
      },
    });
  });

  it('keeps prose estimates as text only', () => {
    const outcome = classifyAnswer(
      'request',
      answer(200, json({ dpRequestId: '7', estimatedFileSize: 'no estimated file size avalible.' })),
    );
    expect(outcome.kind === 'ok' && outcome.value).toMatchObject({
      dpRequestId: 7,
      estimatedFileSizeText: 'no estimated file size avalible.',
      estimatedFileSizeBytes: undefined,
      citations: [],
      messages: [],
    });
  });

  it('reads the archive shape', () => {
    const body = {
      compressedFileSize: 12_563_408,
      downloadTimes: { '10Mbps': 7.076623, '50Mbps': 1.4153247 },
      dpRequestId: 1852695,
      fileSize: 70_766_230,
      numFiles: 4,
    };
    const outcome = classifyAnswer('request', answer(200, json(body)));
    expect(outcome.kind === 'ok' && outcome.value).toMatchObject({ ...body, raw: body });
  });

  it('throws OncProtocolError for a 200 without dpRequestId or without JSON', () => {
    expect(() => classifyAnswer('request', answer(200, json({ estimatedFileSize: '1' })))).toThrow(/dpRequestId/);
    expect(() => classifyAnswer('request', answer(200, { kind: 'unparseable', excerpt: '"<html>"' }))).toThrow(
      OncProtocolError,
    );
  });
});

describe('classifyAnswer: run', () => {
  it('200 with every run complete is ok, reading fileCount or filecount', () => {
    const outcome = classifyAnswer(
      'run',
      answer(
        200,
        json([
          { dpRunId: 1, fileCount: 5, status: 'complete' },
          { dpRunId: 2, filecount: 3, status: 'complete' },
        ]),
      ),
    );
    expect(outcome).toEqual({
      kind: 'ok',
      httpStatus: 200,
      value: [
        { dpRunId: 1, fileCount: 5, status: 'complete', rawStatus: 'complete' },
        { dpRunId: 2, fileCount: 3, status: 'complete', rawStatus: 'complete' },
      ],
    });
  });

  it('202 is notReady with the runs as value', () => {
    const outcome = classifyAnswer(
      'run',
      answer(202, json([{ dpRunId: 4521400, filecount: 0, status: 'data product running' }])),
      { dpRequestId: 9 },
    );
    expect(outcome).toMatchObject({
      kind: 'notReady',
      httpStatus: 202,
      status: 'running',
      message: 'dpRunId 4521400: data product running',
      value: [{ dpRunId: 4521400, status: 'running', rawStatus: 'data product running', fileCount: 0 }],
    });
  });

  it('any run in error is runFailed, whatever the HTTP status', () => {
    for (const status of [200, 202]) {
      const outcome = classifyAnswer(
        'run',
        answer(
          status,
          json([
            { dpRunId: 1, status: 'queued' },
            { dpRunId: 2, status: 'error' },
          ]),
        ),
        { dpRequestId: 9 },
      );
      expect(outcome).toMatchObject({ kind: 'runFailed', httpStatus: status });
      if (outcome.kind === 'runFailed') {
        expect(outcome.error).toBeInstanceOf(OncRunFailedError);
        expect(outcome.error).toMatchObject({ dpRequestId: 9, dpRunId: 2 });
      }
    }
  });

  it('throws OncProtocolError for a run without dpRunId', () => {
    expect(() => classifyAnswer('run', answer(200, json([{ status: 'complete' }])))).toThrow(OncProtocolError);
    expect(() => classifyAnswer('run', answer(200, json({ hello: 1 })))).toThrow(OncProtocolError);
  });
});

describe('classifyAnswer: status, cancel, restart', () => {
  it('reads newSearches into runs, mapping taskStatus spellings', () => {
    const body = {
      searchHdrId: 2609760,
      searchHdrStatus: 'COMPLETED',
      newSearches: [
        { searchId: 1, taskStatus: 'Completed' },
        { searchId: 2, taskStatus: null },
        { searchId: 3, taskStatus: 'Queued' },
        { searchId: 4, taskStatus: 'RUNNING' },
        { searchId: 5, taskStatus: 'Cancelled' },
        { searchId: 6, taskStatus: 'Error' },
        { searchId: 7, taskStatus: 'Failed' },
      ],
    };
    const outcome = classifyAnswer('status', answer(200, json(body)), { dpRequestId: 2609760 });
    expect(outcome.kind).toBe('ok');
    if (outcome.kind !== 'ok') return;
    expect(outcome.value.dpRequestId).toBe(2609760);
    expect(outcome.value.headerStatus).toBe('COMPLETED');
    expect(outcome.value.runs.map((run) => run.status)).toEqual([
      'complete',
      'queued',
      'queued',
      'running',
      'cancelled',
      'error',
      'error',
    ]);
    expect(outcome.value.raw).toBe(body);
  });

  it('reads cancel and restart run lists', () => {
    expect(classifyAnswer('cancel', answer(200, json([{ dpRunId: 1, status: 'cancelled' }])))).toMatchObject({
      kind: 'ok',
      value: [{ dpRunId: 1, status: 'cancelled' }],
    });
    expect(classifyAnswer('restart', answer(200, json([{ dpRunId: 1, status: 'queued' }])))).toMatchObject({
      kind: 'ok',
      value: [{ dpRunId: 1, status: 'queued' }],
    });
  });
});

describe('classifyAnswer: download', () => {
  const context = { dpRunId: 5968038, index: 2 as const };

  it('200 and 206 with a file are ok', () => {
    const file = { body: Readable.from([]), httpStatus: 200 as const, fileName: 'a.csv' };
    expect(classifyAnswer('download', answer(200, { kind: 'file', file }), context)).toEqual({
      kind: 'ok',
      httpStatus: 200,
      value: file,
    });
  });

  it('202 is notReady, or runFailed when its status says error', () => {
    const transferring = { status: 'running', message: 'Transferring (X.csv) to the FTP server' };
    expect(classifyAnswer('download', answer(202, json(transferring)), context)).toEqual({
      kind: 'notReady',
      httpStatus: 202,
      ...transferring,
    });
    const failed = classifyAnswer('download', answer(202, json({ status: 'error', message: 'disk full' })), context);
    expect(failed).toMatchObject({ kind: 'runFailed', httpStatus: 202, message: 'disk full' });
    if (failed.kind === 'runFailed') expect(failed.error.message).toContain('dpRunId 5968038, index 2');
  });

  it('204 and 404 are the end of the files', () => {
    expect(classifyAnswer('download', answer(204), context)).toEqual({ kind: 'endOfFiles', httpStatus: 204 });
    expect(classifyAnswer('download', answer(404, json({ message: 'x' })), context)).toEqual({
      kind: 'endOfFiles',
      httpStatus: 404,
    });
  });

  it('410 is gone', () => {
    const outcome = classifyAnswer('download', answer(410), context);
    expect(outcome.kind).toBe('gone');
    if (outcome.kind === 'gone') expect(outcome.error).toBeInstanceOf(OncGoneError);
  });

  it('400 without an errors list is a cancelled run; with one, a rejection', () => {
    const cancelled = classifyAnswer(
      'download',
      answer(400, json({ status: 'cancelled', message: 'run cancelled' })),
      context,
    );
    expect(cancelled.kind).toBe('cancelled');
    if (cancelled.kind === 'cancelled') {
      expect(cancelled.error).toBeInstanceOf(OncCancelledError);
      expect(cancelled.error.message).toContain('run cancelled');
    }
    const badIndex = classifyAnswer(
      'download',
      answer(
        400,
        json({ errors: [{ errorCode: 127, errorMessage: 'Index must be greater than 0', parameter: 'index' }] }),
      ),
      context,
    );
    expect(badIndex).toMatchObject({ kind: 'rejected', error: { errorCode: 127, parameter: 'index' } });
  });
});

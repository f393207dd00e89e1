import type { Readable } from 'node:stream';
import type { AnswerBody } from './classify-answer.js';
import { discardBody } from './discard-body.js';
import { redactToken } from './redact-token.js';

/** ONC's JSON answers are small (a status with many runs is tens of kB); anything far larger is not an ONC answer. */
export const MAX_JSON_BODY_BYTES = 16 * 1024 * 1024;
const EXCERPT_CHARS = 200;

/**
 * Reads a non-file answer completely (so the connection can be reused) and parses it as JSON. The text is redacted
 * before parsing, so an echo of the token in a body cannot reach an error message or a caller's log.
 * Network errors while reading propagate.
 */
export async function readAnswerBody(body: Readable, token: string): Promise<AnswerBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_JSON_BODY_BYTES) {
      discardBody(body);
      return { kind: 'unparseable', excerpt: `a body larger than ${MAX_JSON_BODY_BYTES} bytes` };
    }
    chunks.push(buffer);
  }
  const text = redactToken(Buffer.concat(chunks).toString('utf8'), token);
  if (text.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'unparseable', excerpt: JSON.stringify(text.slice(0, EXCERPT_CHARS)) };
  }
}

import type { SpecIssue } from '@onc-orders/jobs';
import { InvalidBodyError } from '../errors/invalid-body-error.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function pathOf(path: readonly string[]): string {
  return path.length === 0 ? '(body)' : path.join('.');
}

/** Every place in `value` where `problem` says something, as field paths. */
function findIssues(value: Json, problem: (value: Json, key: string | undefined) => string | undefined): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const visit = (node: Json, path: string[], key: string | undefined) => {
    const message = problem(node, key);
    if (message !== undefined) issues.push({ field: pathOf(path), message });
    if (Array.isArray(node)) node.forEach((item, index) => visit(item, [...path, String(index)], String(index)));
    else if (node !== null && typeof node === 'object') {
      for (const [childKey, child] of Object.entries(node)) visit(child, [...path, childKey], childKey);
    }
  };
  visit(value, [], undefined);
  return issues;
}

/** Keys that would reach an object's prototype if the body were ever merged into another object. */
function forbiddenKey(value: Json, key: string | undefined): string | undefined {
  if (key === '__proto__') return 'is a forbidden key';
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
  if (key === 'constructor' && isObject && Object.hasOwn(value, 'prototype')) {
    return 'is a forbidden key (constructor.prototype)';
  }
  return undefined;
}

/**
 * Reads a JSON request body strictly, so that every refusal names the field at fault:
 * - bytes that are not UTF-8 are refused (a lenient decoder would turn them into U+FFFD and send that to ONC), naming
 *   the fields whose text they sit in;
 * - text that is not JSON is refused with the parser's own message;
 * - `__proto__` and `constructor.prototype` keys are refused by their path.
 */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new InvalidBodyError([{ field: '(body)', message: 'is empty; send a JSON document' }]);
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    throw new InvalidBodyError(invalidUtf8Issues(body));
  }
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch (error) {
    throw new InvalidBodyError([{ field: '(body)', message: `is not valid JSON: ${(error as Error).message}` }]);
  }
  const forbidden = findIssues(parsed, forbiddenKey);
  if (forbidden.length > 0) throw new InvalidBodyError(forbidden);
  return parsed;
}

/** Where the bad bytes are: decoded leniently, they become U+FFFD in some string or key. */
function invalidUtf8Issues(body: Buffer): SpecIssue[] {
  const message = 'is not valid UTF-8';
  let lenient: Json;
  try {
    lenient = JSON.parse(lenientUtf8.decode(body)) as Json;
  } catch {
    return [{ field: '(body)', message }];
  }
  const issues = findIssues(lenient, (value, key) =>
    (typeof value === 'string' && value.includes('\ufffd')) || key?.includes('\ufffd') ? message : undefined,
  );
  return issues.length > 0 ? issues : [{ field: '(body)', message }];
}

import { z } from 'zod';
import type { SourceRegistry } from '../sources/source-registry.js';
import { SourceUnavailableError } from '../sources/source-unavailable-error.js';
import { notifySchema, type NotifyTarget } from '../webhooks/notify-spec.js';
import { OrderSpecError, type SpecIssue } from './order-spec-error.js';

/** The source an order speaks to when its spec names none: every spec written before there were sources. */
export const defaultSourceName = 'onc-data-products';

// Anything but control characters (C0, DEL, C1) and the replacement character left by a bad UTF-8 decoding.
// eslint-disable-next-line no-control-regex
export const printableText = /^[^\u0000-\u001f\u007f-\u009f\ufffd]*$/;

/** The order's label, common to every source: what people call it in lists and titles. */
export const orderLabelSchema = z
  .string()
  .max(500)
  .regex(printableText, 'must not contain control characters')
  .optional()
  .describe('a name for the order, shown in lists and on the dashboard');

/** Every issue zod found, each naming its field as a dotted path; an unknown key is named at its own path. */
function specIssues(error: z.ZodError, under: readonly string[] = []): OrderSpecError {
  return new OrderSpecError(
    error.issues.flatMap((issue) => {
      const path = [...under, ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({ field: path ? `${path}.${key}` : key, message: 'is not a known field' }));
      }
      return [{ field: path || '(order)', message: issue.message }];
    }),
  );
}

/** The source a submitted spec names (or the default), refused naming `source` when it is not served here. */
export function sourceNameOf(input: unknown): string {
  if (typeof input !== 'object' || input === null || !('source' in input)) return defaultSourceName;
  const { source } = input;
  if (source === undefined) return defaultSourceName;
  if (typeof source !== 'string') throw new OrderSpecError([{ field: 'source', message: 'must be a string' }]);
  return source;
}

/**
 * Takes the core's `notify` out of a submitted spec, checked, so that the source's schema sees only its own fields.
 * What is wrong with it is named by field (`notify.url`, `notify.events.0`), to be told with the source's issues.
 */
function takeNotify(input: unknown): { rest: unknown; notify: NotifyTarget | undefined; issues: SpecIssue[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input) || !('notify' in input)) {
    return { rest: input, notify: undefined, issues: [] };
  }
  const { notify, ...rest } = input as Record<string, unknown>;
  if (notify === undefined) return { rest, notify: undefined, issues: [] };
  const parsed = notifySchema.safeParse(notify);
  if (!parsed.success) return { rest, notify: undefined, issues: specIssues(parsed.error, ['notify']).issues };
  return { rest, notify: parsed.data, issues: [] };
}

/**
 * Checks and normalises a submitted spec with its source's schema; throws OrderSpecError naming every bad field,
 * including a source this deployment does not serve or has no settings for. `notify`, which every source's orders
 * may name, is checked here and handed back beside the spec.
 */
export function parseOrderSpec(
  sources: SourceRegistry,
  submitted: unknown,
): { sourceName: string; spec: unknown; notify: NotifyTarget | undefined } {
  const { rest: input, notify, issues } = takeNotify(submitted);
  const sourceName = sourceNameOf(input);
  let schema;
  try {
    schema = sources.get(sourceName).specSchema;
  } catch (error) {
    if (error instanceof SourceUnavailableError)
      throw new OrderSpecError([{ field: 'source', message: error.message }]);
    throw error;
  }
  const parsed = schema.safeParse(input);
  const sourceIssues = parsed.success ? [] : specIssues(parsed.error).issues;
  if (issues.length > 0 || !parsed.success) throw new OrderSpecError([...issues, ...sourceIssues]);
  return { sourceName, spec: parsed.data, notify };
}

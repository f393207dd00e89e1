/** Reading the API's JSON defensively: a field that is missing or of another type is undefined, never a crash. */

export type Json = unknown;

/** The value at a path of nested objects, or undefined. */
export function at(value: Json, ...path: string[]): Json {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function textAt(value: Json, ...path: string[]): string | undefined {
  const found = at(value, ...path);
  return typeof found === 'string' ? found : undefined;
}

/** A number, or a string of digits (some servers quote big integers). */
export function numberAt(value: Json, ...path: string[]): number | undefined {
  const found = at(value, ...path);
  if (typeof found === 'number' && Number.isFinite(found)) return found;
  if (typeof found === 'string' && /^\d+(\.\d+)?$/.test(found)) return Number(found);
  return undefined;
}

export function listAt(value: Json, ...path: string[]): Json[] {
  const found = path.length === 0 ? value : at(value, ...path);
  return Array.isArray(found) ? (found as Json[]) : [];
}

/**
 * `$filter` as DataStream documents it: comparisons (`eq ne lt gt le ge`, and the documented `lte`/`gte`),
 * `in (…)`, `endswith(Field, '…')`, joined by `and` / `or` (`and` binds tighter) and grouped with parentheses.
 * Values are quoted strings (`''` is a quote inside one) or numbers. Keywords and field names are case-sensitive,
 * as in OData. Anything else is refused with a message that says what and where, which the server sends as 400.
 *
 * Parsing also checks each field against the resource's filter fields and turns every value into the field's type
 * once, so evaluation (filter-evaluation.ts) never fails.
 */
import { FILTER_FIELDS, FILTER_FIELD_TYPES, type FilterField, type Resource } from './resources.js';

export type ComparisonOperator = 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge';

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'compare'; field: FilterField; operator: ComparisonOperator; value: string | number }
  | { kind: 'in'; field: FilterField; values: (string | number)[] }
  | { kind: 'endswith'; field: FilterField; suffix: string };

/** A `$filter` the server refuses; the message names the problem and its position (1-based). */
export class FilterError extends Error {
  override readonly name = 'FilterError';
}

const OPERATORS: Readonly<Record<string, ComparisonOperator>> = {
  eq: 'eq',
  ne: 'ne',
  lt: 'lt',
  gt: 'gt',
  le: 'le',
  ge: 'ge',
  lte: 'le',
  gte: 'ge',
};

type Token =
  | { type: 'ident'; text: string; at: number }
  | { type: 'string'; value: string; at: number }
  | { type: 'number'; text: string; value: number; at: number }
  | { type: 'punct'; text: '(' | ')' | ','; at: number };

const describe = (t: Token | undefined): string => {
  if (!t) return 'the end of the filter';
  if (t.type === 'string') return `'${t.value.replace(/'/g, "''")}' at position ${t.at}`;
  return `'${t.text}' at position ${t.at}`;
};

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    const at = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: 'punct', text: c, at });
      i++;
    } else if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new FilterError(`$filter: the string starting at position ${at} is not closed`);
        const d = text[j] ?? '';
        if (d === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += d;
        j++;
      }
      tokens.push({ type: 'string', value, at });
      i = j + 1;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m) throw new FilterError(`$filter: unexpected '${c}' at position ${at}`);
      const after = text[i + m[0].length];
      if (after !== undefined && /[A-Za-z_.]/.test(after))
        throw new FilterError(`$filter: '${m[0]}${after}…' at position ${at} is not a number`);
      tokens.push({ type: 'number', text: m[0], value: Number(m[0]), at });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
      const word = m?.[0] ?? c;
      tokens.push({ type: 'ident', text: word, at });
      i += word.length;
    } else {
      throw new FilterError(`$filter: unexpected character '${c}' at position ${at}`);
    }
  }
  return tokens;
}

class Parser {
  #pos = 0;

  constructor(
    readonly tokens: readonly Token[],
    readonly resource: Resource,
  ) {}

  parse(): FilterNode {
    const node = this.#or();
    const rest = this.tokens[this.#pos];
    if (rest) throw new FilterError(`$filter: unexpected ${describe(rest)}; expected 'and', 'or' or the end`);
    return node;
  }

  #peek(): Token | undefined {
    return this.tokens[this.#pos];
  }

  #next(): Token | undefined {
    return this.tokens[this.#pos++];
  }

  #isWord(word: string): boolean {
    const t = this.#peek();
    return t?.type === 'ident' && t.text === word;
  }

  #expectPunct(text: '(' | ')' | ',', what: string): void {
    const t = this.#next();
    if (t?.type !== 'punct' || t.text !== text)
      throw new FilterError(`$filter: expected '${text}' ${what}, found ${describe(t)}`);
  }

  #or(): FilterNode {
    let left = this.#and();
    while (this.#isWord('or')) {
      this.#pos++;
      left = { kind: 'or', left, right: this.#and() };
    }
    return left;
  }

  #and(): FilterNode {
    let left = this.#primary();
    while (this.#isWord('and')) {
      this.#pos++;
      left = { kind: 'and', left, right: this.#primary() };
    }
    return left;
  }

  #primary(): FilterNode {
    const t = this.#next();
    if (t?.type === 'punct' && t.text === '(') {
      const inner = this.#or();
      this.#expectPunct(')', `to close the '(' at position ${t.at}`);
      return inner;
    }
    if (t?.type !== 'ident') throw new FilterError(`$filter: expected a field name, found ${describe(t)}`);
    const after = this.#peek();
    if (after?.type === 'punct' && after.text === '(') return this.#function(t);
    if (t.text === 'not') throw new FilterError(`$filter: 'not' (position ${t.at}) is not supported; use 'ne'`);
    const field = this.#field(t);
    const op = this.#next();
    if (op?.type === 'ident' && op.text === 'in') return { kind: 'in', field, values: this.#list(field, op) };
    const operator = op?.type === 'ident' ? OPERATORS[op.text] : undefined;
    if (!operator || !op)
      throw new FilterError(
        `$filter: expected an operator (eq, ne, lt, gt, le, ge, lte, gte, in) after ${field}, found ${describe(op)}`,
      );
    return { kind: 'compare', field, operator, value: this.#value(field, op) };
  }

  #function(name: Token & { type: 'ident' }): FilterNode {
    if (name.text !== 'endswith')
      throw new FilterError(`$filter: unknown function '${name.text}' at position ${name.at} (supported: endswith)`);
    this.#expectPunct('(', `after endswith`);
    const fieldToken = this.#next();
    if (fieldToken?.type !== 'ident')
      throw new FilterError(`$filter: expected a field name in endswith, found ${describe(fieldToken)}`);
    const field = this.#field(fieldToken);
    if (FILTER_FIELD_TYPES[field] === 'number')
      throw new FilterError(`$filter: endswith needs a text field; ${field} is a number`);
    this.#expectPunct(',', `after endswith(${field}`);
    const suffix = this.#next();
    if (suffix?.type !== 'string')
      throw new FilterError(`$filter: endswith(${field}, …) needs a quoted string, found ${describe(suffix)}`);
    this.#expectPunct(')', `to close endswith`);
    return { kind: 'endswith', field, suffix: suffix.value };
  }

  #field(t: Token & { type: 'ident' }): FilterField {
    const allowed = FILTER_FIELDS[this.resource];
    const field = allowed.find((f) => f === t.text);
    if (!field)
      throw new FilterError(
        `$filter: unknown field '${t.text}' at position ${t.at}; /${this.resource} filters on ${allowed.join(', ')}`,
      );
    return field;
  }

  #list(field: FilterField, op: Token): (string | number)[] {
    this.#expectPunct('(', `after '${field} in' (position ${op.at})`);
    const values = [this.#value(field, op)];
    for (;;) {
      const t = this.#next();
      if (t?.type === 'punct' && t.text === ')') return values;
      if (t?.type !== 'punct' || t.text !== ',')
        throw new FilterError(`$filter: expected ',' or ')' in the list after '${field} in', found ${describe(t)}`);
      values.push(this.#value(field, op));
    }
  }

  /** A value for `field`, converted to its type. */
  #value(field: FilterField, op: Token): string | number {
    const t = this.#next();
    const opText = op.type === 'string' ? '' : op.text;
    if (t?.type !== 'string' && t?.type !== 'number')
      throw new FilterError(`$filter: expected a value after '${field} ${opText}', found ${describe(t)}`);
    if (FILTER_FIELD_TYPES[field] !== 'number') return t.type === 'string' ? t.value : t.text;
    if (t.type === 'number') return t.value;
    // The documents quote numbers too (`LatitudeNormalized gt '49'`, the R client's `LocationId eq '5717'`).
    if (/^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/.test(t.value)) return Number(t.value);
    throw new FilterError(`$filter: ${field} is a number; '${t.value}' at position ${t.at} is not`);
  }
}

/** Parses a `$filter` for a resource; throws {@link FilterError}. An empty or blank filter is no filter (null). */
export function parseFilter(text: string, resource: Resource): FilterNode | null {
  if (text.trim() === '') return null;
  return new Parser(tokenize(text), resource).parse();
}

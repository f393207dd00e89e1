/**
 * A local check of a `$filter` before anything is sent, so that a bad filter is refused at submit (400, naming the
 * part that is wrong) instead of failing every partition on the service. It accepts what DataStream documents:
 * comparisons with `eq ne lt gt lte gte` (and `le ge`, which the OpenAPI file names), `Field in (v1, v2, …)`,
 * `endswith(Field, '…')` (the seed's Metadata example), `and`, `or`, parentheses, quoted strings (`''` is a quote
 * inside one) and numbers, over the resource's filter fields. The text itself is sent as given: this only reads it.
 */
import { filterFields, type Resource } from './datastream-resources.js';

const comparisons = new Set(['eq', 'ne', 'lt', 'gt', 'lte', 'gte', 'le', 'ge']);

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'number'; text: string; at: number }
  | { kind: 'punct'; text: '(' | ')' | ','; at: number };

/** A filter the API would refuse; `message` names the part and its position (1-based). */
export class FilterProblem extends Error {
  override readonly name = 'FilterProblem';
}

function show(token: Token | undefined): string {
  if (!token) return 'the end of the filter';
  return token.kind === 'string'
    ? `the string '${token.text}' at position ${token.at}`
    : `'${token.text}' at position ${token.at}`;
}

function tokens(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    const at = i + 1;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ kind: 'punct', text: c, at });
      i += 1;
    } else if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new FilterProblem(`the string opened at position ${at} is never closed`);
        if (text.charAt(j) === "'") {
          if (text.charAt(j + 1) !== "'") break;
          value += "'";
          j += 2;
        } else {
          value += text.charAt(j);
          j += 1;
        }
      }
      out.push({ kind: 'string', text: value, at });
      i = j + 1;
    } else {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))?.[0];
      const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?(?![A-Za-z0-9_.])/.exec(text.slice(i))?.[0];
      if (word) out.push({ kind: 'word', text: word, at });
      else if (number) out.push({ kind: 'number', text: number, at });
      else throw new FilterProblem(`unexpected '${c}' at position ${at}`);
      i += (word ?? number ?? c).length;
    }
  }
  return out;
}

class FilterReader {
  private position = 0;

  constructor(
    private readonly list: readonly Token[],
    private readonly resource: Resource,
  ) {}

  readAll(): void {
    if (this.list.length === 0) throw new FilterProblem('the filter is empty');
    this.either();
    const rest = this.peek();
    if (rest) throw new FilterProblem(`expected 'and', 'or' or the end, found ${show(rest)}`);
  }

  private peek(): Token | undefined {
    return this.list[this.position];
  }

  private take(): Token | undefined {
    const token = this.list[this.position];
    this.position += 1;
    return token;
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.text === word;
  }

  private expect(punct: '(' | ')' | ',', context: string): void {
    const token = this.take();
    if (token?.kind !== 'punct' || token.text !== punct)
      throw new FilterProblem(`expected '${punct}' ${context}, found ${show(token)}`);
  }

  private either(): void {
    this.both();
    while (this.isWord('or')) {
      this.position += 1;
      this.both();
    }
  }

  private both(): void {
    this.term();
    while (this.isWord('and')) {
      this.position += 1;
      this.term();
    }
  }

  private term(): void {
    const token = this.take();
    if (token?.kind === 'punct' && token.text === '(') {
      this.either();
      this.expect(')', `to close the '(' at position ${token.at}`);
      return;
    }
    if (token?.kind !== 'word') throw new FilterProblem(`expected a field name, found ${show(token)}`);
    const next = this.peek();
    if (next?.kind === 'punct' && next.text === '(') {
      this.call(token);
      return;
    }
    this.field(token);
    const operator = this.take();
    if (operator?.kind === 'word' && operator.text === 'in') {
      this.inList(token.text, operator);
      return;
    }
    if (operator?.kind !== 'word' || !comparisons.has(operator.text))
      throw new FilterProblem(
        `expected an operator (eq, ne, lt, gt, lte, gte or in) after ${token.text}, found ${show(operator)}`,
      );
    this.value(`${token.text} ${operator.text}`);
  }

  private call(name: Token): void {
    if (name.text !== 'endswith')
      throw new FilterProblem(`unknown function '${name.text}' at position ${name.at}; DataStream documents endswith`);
    this.expect('(', 'after endswith');
    const field = this.take();
    if (field?.kind !== 'word') throw new FilterProblem(`expected a field name in endswith, found ${show(field)}`);
    this.field(field);
    this.expect(',', `after endswith(${field.text}`);
    const suffix = this.take();
    if (suffix?.kind !== 'string')
      throw new FilterProblem(`endswith(${field.text}, …) needs a quoted string, found ${show(suffix)}`);
    this.expect(')', 'to close endswith');
  }

  private field(token: Token): void {
    const allowed = filterFields[this.resource];
    if (!allowed.includes(token.text))
      throw new FilterProblem(
        `unknown field '${token.text}' at position ${token.at}; ${this.resource} filters on ${allowed.join(', ')}`,
      );
  }

  private inList(field: string, operator: Token): void {
    this.expect('(', `after '${field} in' at position ${operator.at}`);
    this.value(`${field} in (`);
    for (;;) {
      const token = this.take();
      if (token?.kind === 'punct' && token.text === ')') return;
      if (token?.kind !== 'punct' || token.text !== ',')
        throw new FilterProblem(`expected ',' or ')' in the list of '${field} in', found ${show(token)}`);
      this.value(`${field} in (…,`);
    }
  }

  private value(after: string): void {
    const token = this.take();
    if (token?.kind !== 'string' && token?.kind !== 'number')
      throw new FilterProblem(`expected a quoted value or a number after '${after}', found ${show(token)}`);
  }
}

/** Throws {@link FilterProblem} when `text` is not a filter DataStream documents for `resource`. */
export function checkFilter(text: string, resource: Resource): void {
  new FilterReader(tokens(text), resource).readAll();
}

/** The problem with `text` as a filter of `resource`, or undefined when it reads well. */
export function filterProblem(text: string, resource: Resource): string | undefined {
  try {
    checkFilter(text, resource);
    return undefined;
  } catch (error) {
    if (error instanceof FilterProblem) return error.message;
    throw error;
  }
}

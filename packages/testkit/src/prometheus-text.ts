/** One sample of a Prometheus text exposition: `name{label="value",…} value`. */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed exposition: its samples, and the TYPE each metric family declared. */
export interface PrometheusExposition {
  samples: PrometheusSample[];
  types: Map<string, string>;
  /** The samples named `name` whose labels include every one of `labels`. */
  find(name: string, labels?: Record<string, string>): PrometheusSample[];
  /** The sum of those samples' values (0 when there is none). */
  sum(name: string, labels?: Record<string, string>): number;
}

const samplePattern = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;

function unescapeLabel(value: string): string {
  return value.replace(/\\(.)/g, (_match, char: string) => (char === 'n' ? '\n' : char));
}

/** A Go float, as Prometheus reads it: NaN and Inf in any case (prom-client writes "Nan" for a gauge not yet set). */
function parseValue(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`not a sample value: ${text}`);
  return value;
}

/**
 * Parses Prometheus' text exposition format (version 0.0.4, what prom-client writes), strictly: a line that is
 * neither a comment nor a well-formed sample throws, so a test reading it also checks that it is well formed.
 */
export function parsePrometheusText(text: string): PrometheusExposition {
  const samples: PrometheusSample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (type?.[1] && type[2]) types.set(type[1], type[2]);
      continue;
    }
    const match = samplePattern.exec(line);
    if (!match?.[1] || match[3] === undefined) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    const labelText = match[2] ?? '';
    labelPattern.lastIndex = 0;
    let consumed = 0;
    for (let label = labelPattern.exec(labelText); label; label = labelPattern.exec(labelText)) {
      labels[label[1] ?? ''] = unescapeLabel(label[2] ?? '');
      consumed = labelPattern.lastIndex;
    }
    if (consumed !== labelText.length) throw new Error(`malformed labels in: ${line}`);
    samples.push({ name: match[1], labels, value: parseValue(match[3]) });
  }
  const find = (name: string, labels: Record<string, string> = {}) =>
    samples.filter(
      (sample) =>
        sample.name === name && Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
    );
  return {
    samples,
    types,
    find,
    sum: (name, labels) => find(name, labels).reduce((total, sample) => total + sample.value, 0),
  };
}

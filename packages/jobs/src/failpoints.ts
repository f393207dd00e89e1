/**
 * Named steps at which a test can make the worker die on the spot (SIGKILL, no clean-up), to prove that a crash in
 * that window loses and duplicates nothing. The worker app arms them from the FAILPOINTS environment variable:
 * `FAILPOINTS=download-mid-body` or `FAILPOINTS=download-mid-body:2` (die the 2nd time the step is reached). The
 * core's are below; each source names its own (ONC: `after-run-before-save`, …).
 */
export const coreFailpointNames = [
  'download-mid-body',
  'after-download-before-rename',
  'after-rename-before-record',
  'after-page-before-next',
  'after-rows-before-rename',
] as const;

export class Failpoints {
  private readonly armed = new Map<string, number>();

  /** `known`: every name a step may reach (the core's and the sources'); an unknown name in `spec` is refused. */
  constructor(spec = '', known: readonly string[] = coreFailpointNames) {
    for (const item of spec
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const [name = '', nth = '1'] = item.split(':');
      if (!known.includes(name)) throw new Error(`unknown failpoint "${name}"`);
      this.armed.set(name, Math.max(1, Number(nth) || 1));
    }
  }

  /** Dies here if this step is armed and its count is reached. */
  reach(name: string): void {
    const remaining = this.armed.get(name);
    if (remaining === undefined) return;
    if (remaining > 1) {
      this.armed.set(name, remaining - 1);
      return;
    }
    process.stderr.write(`failpoint ${name}: killing process ${process.pid}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}

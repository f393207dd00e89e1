import type { AnySource, ServiceLimits, SourceView } from './source-port.js';
import { SourceUnavailableError } from './source-unavailable-error.js';

/** Why a known source cannot take orders here: the settings it lacks. */
export interface DisabledSource {
  name: string;
  /** e.g. "ONC_TOKEN (or ONC_BASE_URL pointing at an onc-sim)". */
  missing: string;
  /** How its orders are shown all the same (a view needs no settings). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  view?: SourceView<any, any, any, any>;
}

/**
 * The sources this process can serve, and the ones it knows but cannot (their settings are missing). The apps start
 * with any subset configured; an order for a disabled source is refused naming the missing setting.
 */
export class SourceRegistry {
  readonly #enabled = new Map<string, AnySource>();
  readonly #disabled = new Map<string, DisabledSource>();

  constructor(enabled: readonly AnySource[], disabled: readonly DisabledSource[] = []) {
    for (const source of enabled) this.#enabled.set(source.name, source);
    for (const source of disabled) if (!this.#enabled.has(source.name)) this.#disabled.set(source.name, source);
  }

  /** The source named, or SourceUnavailableError saying why it cannot be used. */
  get(name: string): AnySource {
    const source = this.#enabled.get(name);
    if (source) return source;
    throw new SourceUnavailableError(name, this.#disabled.get(name)?.missing, [...this.#enabled.keys()]);
  }

  has(name: string): boolean {
    return this.#enabled.has(name);
  }

  /** How orders of the source named are shown, whether or not this deployment can work on them. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  viewOf(name: string): SourceView<any, any, any, any> | undefined {
    return this.#enabled.get(name)?.view ?? this.#disabled.get(name)?.view;
  }

  enabled(): AnySource[] {
    return [...this.#enabled.values()];
  }

  /** The sources known but not configured, with the settings each lacks. */
  disabled(): Array<{ name: string; missing: string }> {
    return [...this.#disabled.values()].map(({ name, missing }) => ({ name, missing }));
  }

  /** Every service the enabled sources talk to, each once (two ONC sources share ONC's limits). */
  services(): ServiceLimits[] {
    const byName = new Map<string, ServiceLimits>();
    for (const source of this.#enabled.values())
      if (!byName.has(source.service.name)) byName.set(source.service.name, source.service);
    return [...byName.values()];
  }

  /** Lets go of every source's connections. */
  async close(): Promise<void> {
    await Promise.all([...this.#enabled.values()].flatMap((source) => (source.close ? [source.close()] : [])));
  }

  /** Every failpoint a source may reach. */
  failpointNames(): string[] {
    return [...this.#enabled.values()].flatMap((source) => source.failpoints ?? []);
  }
}

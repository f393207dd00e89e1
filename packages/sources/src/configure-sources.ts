import { SourceRegistry, type AnySource, type DisabledSource, type SourceDependencies } from '@onc-orders/jobs';
import {
  createDataProductsSource,
  createOncService,
  dataProductsView,
  oncDataProductsSourceName,
  oncEnablingSetting,
  oncIsConfigured,
  parseOncSettings,
} from '@onc-orders/source-onc';
import {
  createDataStreamService,
  createDataStreamSource,
  dataStreamEnablingSetting,
  dataStreamIsConfigured,
  dataStreamSourceName,
  dataStreamView,
  parseDataStreamSettings,
} from '@onc-orders/source-datastream';

/**
 * The sources the environment configures, and the ones it leaves without settings. Both apps call this with
 * `process.env`; an order for a source left out is refused naming the setting it lacks.
 */
export function configureSources(env: Record<string, string | undefined>, deps: SourceDependencies): SourceRegistry {
  const enabled: AnySource[] = [];
  const disabled: DisabledSource[] = [];
  const onc = parseOncSettings(env);
  if (oncIsConfigured(onc)) {
    enabled.push(createDataProductsSource(createOncService(onc, deps)));
  } else {
    disabled.push({ name: oncDataProductsSourceName, missing: oncEnablingSetting, view: dataProductsView });
  }

  // DataStream: with a key, or at a datastream-sim (any DATASTREAM_BASE_URL that is not datastream.org's).
  const dataStream = parseDataStreamSettings(env);
  if (dataStreamIsConfigured(dataStream)) {
    enabled.push(createDataStreamSource(createDataStreamService(dataStream, deps)));
  } else {
    disabled.push({ name: dataStreamSourceName, missing: dataStreamEnablingSetting, view: dataStreamView });
  }
  return new SourceRegistry(enabled, disabled);
}

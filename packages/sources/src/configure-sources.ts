import { SourceRegistry, type AnySource, type DisabledSource, type SourceDependencies } from '@onc-orders/jobs';
import {
  archiveFilesView,
  createArchiveFilesSource,
  createDataProductsSource,
  oncArchiveFilesSourceName,
  createOncService,
  dataProductsView,
  oncDataProductsSourceName,
  oncEnablingSetting,
  oncIsConfigured,
  parseOncSettings,
} from '@onc-orders/source-onc';
import {
  createWebcoosService,
  createWebcoosSource,
  parseWebcoosSettings,
  webcoosEnablingSetting,
  webcoosIsConfigured,
  webcoosSourceName,
  webcoosView,
} from '@onc-orders/source-webcoos';
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
    // Both ONC sources share one client, so one connection pool and ONC's fleet-wide limits.
    const service = createOncService(onc, deps);
    enabled.push(createDataProductsSource(service), createArchiveFilesSource(service));
  } else {
    disabled.push(
      { name: oncDataProductsSourceName, missing: oncEnablingSetting, view: dataProductsView },
      { name: oncArchiveFilesSourceName, missing: oncEnablingSetting, view: archiveFilesView },
    );
  }
  // WebCOOS: coastal camera archives.
  const webcoos = parseWebcoosSettings(env);
  if (webcoosIsConfigured(webcoos)) {
    enabled.push(createWebcoosSource(createWebcoosService(webcoos, deps)));
  } else {
    disabled.push({ name: webcoosSourceName, missing: webcoosEnablingSetting, view: webcoosView });
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

import type { SourceViews } from '@onc-orders/jobs';
import {
  archiveFilesView,
  dataProductsView,
  oncArchiveFilesSourceName,
  oncDataProductsSourceName,
} from '@onc-orders/source-onc';
import { dataStreamSourceName, dataStreamView } from '@onc-orders/source-datastream';
import { webcoosSourceName, webcoosView } from '@onc-orders/source-webcoos';

type View = NonNullable<ReturnType<SourceViews['viewOf']>>;

/**
 * How every known source shows its orders, with no source configured: no settings, connections or clients. For a
 * thread that only reads orders (the API's read threads); the views are the ones `configureSources` gives each source.
 */
export function knownSourceViews(): SourceViews {
  const views = new Map<string, View>([
    [oncDataProductsSourceName, dataProductsView],
    [oncArchiveFilesSourceName, archiveFilesView],
    [webcoosSourceName, webcoosView],
    [dataStreamSourceName, dataStreamView],
  ]);
  return { viewOf: (name) => views.get(name) };
}

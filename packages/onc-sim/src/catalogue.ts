/**
 * What the simulated ONC knows about: locations, device categories, properties, devices (with the time span
 * they have data for and, for some, the files they archive) and data products (with their extensions, the
 * categories/properties they apply to and their `dpo_` options). The request method validates filters against it,
 * exactly-matching and case-sensitive like ONC; the discovery services and the archive answer from the same data,
 * so what discovery offers can be requested and what can be requested is offered.
 *
 * The fields added for discovery and the archive are optional, so a catalogue written for request validation alone
 * still works: discovery then derives plain defaults (see discovery/catalogue-views.ts).
 */
import type { Behaviour } from './behaviour.js';

export interface CatalogueLocation {
  locationCode: string;
  locationName: string;
  /** Free text, as the locations service returns it. Default ''. */
  description?: string;
  /** Latitude of the site, decimal degrees. Default 0. */
  lat?: number;
  /** Longitude of the site, decimal degrees. Default 0. */
  lon?: number;
  /** Depth of the site, in metres. Default 0. */
  depth?: number;
  /** The location this one sits under in `locations/tree`; absent for a root. */
  parentLocationCode?: string;
}

export interface CatalogueDeviceCategory {
  deviceCategoryCode: string;
  deviceCategoryName: string;
  /** Short description. Default: the name. */
  description?: string;
  /** Long description. Default ''. */
  longDescription?: string;
}

export interface CatalogueProperty {
  propertyCode: string;
  propertyName: string;
  /** Default: the name. */
  description?: string;
  /** Unit of measure, e.g. `S/m`. Default ''. */
  uom?: string;
}

/** One kind of file a device archives, e.g. its 5-minute WAV files. */
export interface CatalogueArchiveFileKind {
  /** What follows `<deviceCode>_<stamp>` in the name, e.g. `.wav`, `-spect.png`. */
  suffix: string;
  /** One file every `periodMs` ms; a file covers [start, start + periodMs). */
  periodMs: number;
  /** Smallest size in bytes (of the uncompressed content). */
  minBytes: number;
  /** Largest size in bytes (of the uncompressed content). A file's size in between is drawn from its name. */
  maxBytes: number;
  /** The data product the file belongs to (a catalogue product code): the listing's `dataProductCode`. */
  dataProductCode: string;
  /** Content-Type of a download. */
  mimeType: string;
  /** 'gz' when the archive stores the file compressed (see archive/archive-options.ts, gzipDownload). Default none. */
  compression?: 'gz';
}

/** The files a device archives while deployed. */
export interface CatalogueArchive {
  kinds: readonly CatalogueArchiveFileKind[];
  /** Added to every file's start, in ms: instruments do not start their files on round seconds. Default 0. */
  offsetMs?: number;
  /** Fraction (0..1) of files archived late. Default 0. */
  lateFraction?: number;
  /** Smallest delay of a late file's archivedDate past its dateTo, in ms. Default 1 hour. */
  lateMinMs?: number;
  /** Largest delay of a late file's archivedDate past its dateTo, in ms. Default 6 hours. */
  lateMaxMs?: number;
  /** Files whose dateFrom is less than this many ms before the clock are left out of listings. Default 0. */
  withholdRecentMs?: number;
}

export interface CatalogueDevice {
  deviceCode: string;
  deviceId: number;
  deviceName: string;
  deviceCategoryCode: string;
  locationCode: string;
  propertyCodes: readonly string[];
  /** First instant with data, ISO 8601. */
  dataFrom: string;
  /** Last instant with data, ISO 8601; `null` while the device is still recording. */
  dataTo: string | null;
  /** Data after `after` (ISO 8601) is restricted by `organization`: a request reaching past it gets error 71. */
  restriction?: { organization: string; after: string };
  /** Seconds between samples (discovery's dataRating). Default 1. */
  samplePeriodSec?: number;
  /** Depth of the deployment, in metres. Default: the location's. */
  depth?: number;
  /** Heading, pitch and roll of the deployment, in degrees; null (the default) when not measured. */
  heading?: number | null;
  pitch?: number | null;
  roll?: number | null;
  /** The files the device archives (the archivefile service); absent for a device with none. */
  archive?: CatalogueArchive;
}

/** A `dpo_` option of a data product, as the dataProducts service describes it. */
export interface CatalogueDataProductOption {
  /** The option's name without the `dpo_` prefix, e.g. `qualityControl`. */
  option: string;
  /** Values allowed outright (also beside a range: `-1000` meaning "automatic" next to a dB range). */
  allowableValues: readonly string[];
  /** A numeric range the value may lie in, or null. */
  allowableRange: {
    lowerBound: string;
    upperBound: string;
    onlyIntegers: boolean;
    unitOfMeasure: string | null;
  } | null;
  defaultValue: string;
  /** Links to the option's documentation. */
  documentation: readonly string[];
  /** The extensions the option applies to; absent means all of the product's extensions. */
  extensions?: readonly string[];
}

export interface CatalogueDataProduct {
  dataProductCode: string;
  dataProductName: string;
  /** Valid extensions, matched exactly (case-sensitive). */
  extensions: readonly string[];
  /** Device categories the product can be generated for. */
  deviceCategoryCodes: readonly string[];
  /** Properties the product can be generated for (property searches). */
  propertyCodes: readonly string[];
  /** Behaviour for requests of this product, over the simulator-wide behaviour. */
  behaviour?: Partial<Behaviour>;
  /** The product's `dpo_` options (discovery). Default none. */
  options?: readonly CatalogueDataProductOption[];
  /** Link to the product's documentation. Default: a wiki-style link made from the code. */
  helpDocument?: string;
}

export interface Catalogue {
  locations: readonly CatalogueLocation[];
  deviceCategories: readonly CatalogueDeviceCategory[];
  properties: readonly CatalogueProperty[];
  devices: readonly CatalogueDevice[];
  dataProducts: readonly CatalogueDataProduct[];
}

export interface ExtensionInfo {
  archiveFileExtensionId: number;
  description: string;
  mimeType: string;
}

const EXTENSIONS: Record<string, ExtensionInfo> = {
  csv: { archiveFileExtensionId: 3, description: 'CSV file', mimeType: 'text/plain' },
  txt: { archiveFileExtensionId: 1, description: 'Text file', mimeType: 'text/plain' },
  json: { archiveFileExtensionId: 40, description: 'JSON file', mimeType: 'application/json' },
  png: { archiveFileExtensionId: 9, description: 'PNG image', mimeType: 'image/png' },
  pdf: { archiveFileExtensionId: 10, description: 'PDF document', mimeType: 'application/pdf' },
  mat: { archiveFileExtensionId: 12, description: 'MATLAB file', mimeType: 'application/octet-stream' },
  wav: { archiveFileExtensionId: 21, description: 'WAV audio', mimeType: 'audio/wav' },
  flac: { archiveFileExtensionId: 47, description: 'FLAC audio', mimeType: 'audio/flac' },
  mp3: { archiveFileExtensionId: 48, description: 'MP3 audio', mimeType: 'audio/mpeg' },
  jpg: { archiveFileExtensionId: 8, description: 'JPEG image', mimeType: 'image/jpeg' },
  mp4: { archiveFileExtensionId: 52, description: 'MP4 video', mimeType: 'video/mp4' },
  rdi: { archiveFileExtensionId: 61, description: 'RDI ADCP raw file', mimeType: 'application/octet-stream' },
};

/** Description and MIME type for an extension (as status reports them); unknown extensions are octet streams. */
export const extensionInfo = (extension: string): ExtensionInfo =>
  EXTENSIONS[extension] ?? {
    archiveFileExtensionId: 0,
    description: `${extension} file`,
    mimeType: 'application/octet-stream',
  };

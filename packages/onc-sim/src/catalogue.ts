/**
 * What the simulated ONC knows about: locations, device categories, properties, devices (with the time span
 * they have data for) and data products (with their extensions and the categories/properties they apply to).
 * The request method validates filters against it, exactly-matching and case-sensitive like ONC.
 *
 * The default catalogue uses real ONC codes from the documentation and the official clients' tests
 * (BACAX, ADCP2MHZ, CTD, CRIP.C1, TSSD, TSSP, LF …); the devices and their date spans are illustrative.
 */
import type { Behaviour } from './behaviour.js';

export interface CatalogueLocation {
  locationCode: string;
  locationName: string;
}

export interface CatalogueDeviceCategory {
  deviceCategoryCode: string;
  deviceCategoryName: string;
}

export interface CatalogueProperty {
  propertyCode: string;
  propertyName: string;
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
}

export interface Catalogue {
  locations: readonly CatalogueLocation[];
  deviceCategories: readonly CatalogueDeviceCategory[];
  properties: readonly CatalogueProperty[];
  devices: readonly CatalogueDevice[];
  dataProducts: readonly CatalogueDataProduct[];
}

export const defaultCatalogue: Catalogue = {
  locations: [
    { locationCode: 'BACAX', locationName: 'Barkley Canyon Axis' },
    { locationCode: 'CRIP.C1', locationName: 'Campbell River Discovery Passage' },
    { locationCode: 'BIIP', locationName: 'Baynes Sound Mooring' },
    { locationCode: 'SIMRST', locationName: 'Simulated Restricted Site' },
  ],
  deviceCategories: [
    { deviceCategoryCode: 'ADCP2MHZ', deviceCategoryName: 'Acoustic Doppler Current Profiler 2 MHz' },
    { deviceCategoryCode: 'CTD', deviceCategoryName: 'Conductivity Temperature Depth' },
    { deviceCategoryCode: 'OXYSENSOR', deviceCategoryName: 'Oxygen Sensor' },
    { deviceCategoryCode: 'HYDROPHONE', deviceCategoryName: 'Hydrophone' },
  ],
  properties: [
    { propertyCode: 'salinity', propertyName: 'Salinity' },
    { propertyCode: 'seawatertemperature', propertyName: 'Sea Water Temperature' },
    { propertyCode: 'conductivity', propertyName: 'Conductivity' },
    { propertyCode: 'pressure', propertyName: 'Pressure' },
    { propertyCode: 'oxygen', propertyName: 'Oxygen' },
  ],
  devices: [
    {
      deviceCode: 'RDIADCP2MHZ8006',
      deviceId: 11206,
      deviceName: 'RDI Workhorse Monitor ADCP 2 MHz (8006)',
      deviceCategoryCode: 'ADCP2MHZ',
      locationCode: 'BACAX',
      propertyCodes: ['pressure', 'seawatertemperature'],
      dataFrom: '2009-09-01T00:00:00.000Z',
      dataTo: null,
    },
    {
      deviceCode: 'SBECTD16p6002',
      deviceId: 22503,
      deviceName: 'Sea-Bird SeaCAT SBE16plus 6002',
      deviceCategoryCode: 'CTD',
      locationCode: 'BACAX',
      propertyCodes: ['salinity', 'seawatertemperature', 'conductivity', 'pressure'],
      dataFrom: '2014-05-09T15:50:42.000Z',
      dataTo: '2015-09-17T12:59:52.000Z',
    },
    {
      deviceCode: 'SBECTD19p6813',
      deviceId: 23842,
      deviceName: 'Sea-Bird SeaCAT SBE19plus V2 6813',
      deviceCategoryCode: 'CTD',
      locationCode: 'BACAX',
      propertyCodes: ['salinity', 'seawatertemperature', 'conductivity', 'pressure'],
      dataFrom: '2015-09-17T13:00:00.000Z',
      dataTo: null,
    },
    {
      deviceCode: 'AandOpt0581',
      deviceId: 23601,
      deviceName: 'Aanderaa Optode 4831 (0581)',
      deviceCategoryCode: 'OXYSENSOR',
      locationCode: 'BACAX',
      propertyCodes: ['oxygen', 'seawatertemperature'],
      dataFrom: '2012-01-01T00:00:00.000Z',
      dataTo: null,
    },
    {
      deviceCode: 'SBECTD19p7123',
      deviceId: 24110,
      deviceName: 'Sea-Bird SeaCAT SBE19plus V2 7123',
      deviceCategoryCode: 'CTD',
      locationCode: 'CRIP.C1',
      propertyCodes: ['salinity', 'seawatertemperature', 'conductivity', 'pressure'],
      dataFrom: '2016-01-01T00:00:00.000Z',
      dataTo: null,
    },
    {
      deviceCode: 'SBECTD19p5400',
      deviceId: 21877,
      deviceName: 'Sea-Bird SeaCAT SBE19plus V2 5400',
      deviceCategoryCode: 'CTD',
      locationCode: 'BIIP',
      propertyCodes: ['salinity', 'seawatertemperature', 'conductivity', 'pressure'],
      dataFrom: '2014-01-01T00:00:00.000Z',
      dataTo: null,
    },
    {
      deviceCode: 'ICLISTENHF1251',
      deviceId: 23155,
      deviceName: 'Ocean Sonics icListen HF Hydrophone 1251',
      deviceCategoryCode: 'HYDROPHONE',
      locationCode: 'BACAX',
      propertyCodes: [],
      dataFrom: '2013-01-01T00:00:00.000Z',
      dataTo: null,
    },
    {
      deviceCode: 'SBECTD19p9999',
      deviceId: 29999,
      deviceName: 'Sea-Bird SeaCAT SBE19plus V2 9999 (restricted)',
      deviceCategoryCode: 'CTD',
      locationCode: 'SIMRST',
      propertyCodes: ['salinity', 'seawatertemperature', 'conductivity', 'pressure'],
      dataFrom: '2015-01-01T00:00:00.000Z',
      dataTo: null,
      restriction: { organization: 'Example Partner Organization', after: '2020-01-01T00:00:00.000Z' },
    },
  ],
  dataProducts: [
    {
      dataProductCode: 'TSSD',
      dataProductName: 'Time Series Scalar Data',
      extensions: ['csv', 'json', 'mat', 'txt'],
      deviceCategoryCodes: ['CTD', 'OXYSENSOR'],
      propertyCodes: ['salinity', 'seawatertemperature', 'conductivity', 'pressure', 'oxygen'],
    },
    {
      dataProductCode: 'TSSP',
      dataProductName: 'Time Series Scalar Plot',
      extensions: ['png', 'pdf'],
      deviceCategoryCodes: ['CTD', 'OXYSENSOR'],
      propertyCodes: ['salinity', 'seawatertemperature', 'conductivity', 'pressure', 'oxygen'],
    },
    {
      dataProductCode: 'LF',
      dataProductName: 'Log File',
      extensions: ['txt'],
      deviceCategoryCodes: ['ADCP2MHZ', 'CTD', 'OXYSENSOR', 'HYDROPHONE'],
      propertyCodes: [],
      // Log files are archived, not generated: request answers with numFiles/fileSize/downloadTimes.
      behaviour: { requestShape: 'archive', queuedMs: 0, runningMs: 200, metadataFile: false },
    },
    {
      dataProductCode: 'AD',
      dataProductName: 'Audio Data',
      extensions: ['wav', 'flac'],
      deviceCategoryCodes: ['HYDROPHONE'],
      propertyCodes: [],
      behaviour: { filesPerRun: 6, fileSizeBytes: 256 * 1024 },
    },
  ],
};

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
};

/** Description and MIME type for an extension (as status reports them); unknown extensions are octet streams. */
export const extensionInfo = (extension: string): ExtensionInfo =>
  EXTENSIONS[extension] ?? {
    archiveFileExtensionId: 0,
    description: `${extension} file`,
    mimeType: 'application/octet-stream',
  };

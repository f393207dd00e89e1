/**
 * The discovery services (`/api/locations`, `locations/tree`, `devices`, `deviceCategories`, `properties`,
 * `dataProducts`, `deployments`), answering from the catalogue `request` validates against. Fields as the
 * official Python client's docstrings show them. Nothing found is a 404 — except for deployments, which answer 400
 * with error 127 (the official clients' live tests).
 */
import type { Catalogue, CatalogueDataProduct, CatalogueDataProductOption, CatalogueDevice } from '../catalogue.js';
import type { DiscoveryMethod } from '../methods/method-names.js';
import { formatOncDate } from '../onc-dates.js';
import { oncError } from '../onc-errors.js';
import { errorReply, jsonReply, type Reply } from '../reply.js';
import { ready, refuse, type Prepared, type ServiceContext } from '../service-context.js';
import {
  childrenOf,
  deployedDuring,
  deviceDoi,
  devicePosition,
  isRoot,
  locationOf,
  subtreeCodes,
} from './catalogue-views.js';
import { nameMatches, parseDiscovery, type DiscoveryQuery } from './discovery-query.js';
import { productOffered } from './product-availability.js';

interface Answering {
  ctx: ServiceContext;
  catalogue: Catalogue;
  query: DiscoveryQuery;
  /** A boolean as the options say to write it. */
  flag: (value: boolean) => boolean | string;
}

/** The 404 discovery answers when nothing matches (its body is the simulator's guess). */
const nothingFound = (what: string): Reply => jsonReply(404, { message: `No ${what} found for the given filters.` });

const listOrNotFound = (rows: unknown[], what: string): Reply =>
  rows.length > 0 ? jsonReply(200, rows) : nothingFound(what);

/** Devices matching the query's device filters (location exact, or its subtree with includeChildren; dates). */
function matchingDevices(a: Answering): CatalogueDevice[] {
  const { query, catalogue } = a;
  const location = query.get('locationCode');
  const inLocation =
    location === null ? null : query.includeChildren ? subtreeCodes(catalogue, location) : new Set([location]);
  const category = query.get('deviceCategoryCode');
  const code = query.get('deviceCode');
  const property = query.get('propertyCode');
  return catalogue.devices.filter(
    (d) =>
      (inLocation === null || inLocation.has(d.locationCode)) &&
      (category === null || d.deviceCategoryCode === category) &&
      (code === null || d.deviceCode === code) &&
      (property === null || d.propertyCodes.includes(property)) &&
      (!query.dated || deployedDuring(d, query.fromMs, query.toMs, a.ctx.now)),
  );
}

// ---- locations ----

/** Whether the query has filters beyond the location itself (then a location needs a matching device). */
const filtersDevices = (q: DiscoveryQuery): boolean =>
  ['deviceCategoryCode', 'deviceCode', 'propertyCode', 'dataProductCode'].some((n) => q.get(n) !== null) || q.dated;

/** Whether a location itself satisfies the query's device, product and date filters. */
function locationHasMatch(a: Answering, locationCode: string, devices: readonly CatalogueDevice[]): boolean {
  const own = devices.filter((d) => d.locationCode === locationCode);
  if (own.length === 0) return false;
  const productCode = a.query.get('dataProductCode');
  if (productCode === null) return true;
  const product = a.catalogue.dataProducts.find((p) => p.dataProductCode === productCode);
  return (
    product !== undefined &&
    productOffered(a.catalogue, product, {
      locationCode,
      deviceCategoryCode: a.query.get('deviceCategoryCode'),
      deviceCode: a.query.get('deviceCode'),
      propertyCode: a.query.get('propertyCode'),
    })
  );
}

function locationRow(a: Answering, code: string, devices: readonly CatalogueDevice[]) {
  const { catalogue } = a;
  const location = locationOf(catalogue, code);
  const own = catalogue.devices.filter((d) => d.locationCode === code);
  const subtree = [...subtreeCodes(catalogue, code)].map((c) => locationOf(catalogue, c));
  const lats = subtree.map((l) => l?.lat ?? 0);
  const lons = subtree.map((l) => l?.lon ?? 0);
  const depths = [location?.depth ?? 0, ...own.map((d) => devicePosition(catalogue, d).depth)];
  return {
    deployments: devices.filter((d) => d.locationCode === code).length,
    locationName: location?.locationName ?? code,
    depth: location?.depth ?? 0,
    bbox: {
      maxDepth: Math.max(...depths),
      maxLat: Math.max(...lats),
      maxLon: Math.max(...lons),
      minDepth: Math.min(...depths),
      minLat: Math.min(...lats),
      minLon: Math.min(...lons),
    },
    description: location?.description ?? '',
    hasDeviceData: a.flag(own.length > 0),
    lon: location?.lon ?? 0,
    locationCode: code,
    hasPropertyData: a.flag(own.some((d) => d.propertyCodes.length > 0)),
    lat: location?.lat ?? 0,
    dataSearchURL: `https://data.oceannetworks.ca/DataSearch?location=${encodeURIComponent(code)}`,
  };
}

function answerLocations(a: Answering): Reply {
  const { query, catalogue } = a;
  const devices = matchingDevices(a);
  const code = query.get('locationCode');
  const scope = code === null ? null : query.includeChildren ? subtreeCodes(catalogue, code) : new Set([code]);
  const rows = catalogue.locations
    .filter(
      (l) =>
        (scope === null || scope.has(l.locationCode)) &&
        nameMatches(query.get('locationName'), l.locationName) &&
        (!filtersDevices(query) || locationHasMatch(a, l.locationCode, devices)),
    )
    .map((l) => locationRow(a, l.locationCode, devices));
  return listOrNotFound(rows, 'locations');
}

interface TreeNode {
  locationName: string;
  children: TreeNode[] | null;
  description: string;
  hasDeviceData: boolean | string;
  locationCode: string;
  hasPropertyData: boolean | string;
}

function answerLocationTree(a: Answering): Reply {
  const { query, catalogue } = a;
  const devices = matchingDevices({ ...a, query: { ...query, includeChildren: true } });
  const filtered = filtersDevices(query) || query.get('locationName') !== null;
  const node = (code: string): TreeNode | null => {
    const location = locationOf(catalogue, code);
    if (!location) return null;
    const children = childrenOf(catalogue, code)
      .map((c) => node(c.locationCode))
      .filter((n): n is TreeNode => n !== null);
    const itself =
      nameMatches(query.get('locationName'), location.locationName) &&
      (!filtersDevices(query) || locationHasMatch(a, code, devices));
    if (filtered && !itself && children.length === 0) return null;
    const own = catalogue.devices.filter((d) => d.locationCode === code);
    return {
      locationName: location.locationName,
      children: children.length > 0 ? children : null,
      description: location.description ?? '',
      hasDeviceData: a.flag(own.length > 0),
      locationCode: code,
      hasPropertyData: a.flag(own.some((d) => d.propertyCodes.length > 0)),
    };
  };
  const code = query.get('locationCode');
  const roots =
    code === null ? catalogue.locations.filter((l) => isRoot(catalogue, l)).map((l) => l.locationCode) : [code];
  const rows = roots.map(node).filter((n): n is TreeNode => n !== null);
  return listOrNotFound(rows, 'locations');
}

// ---- devices and deployments ----

function deviceRow(a: Answering, d: CatalogueDevice) {
  return {
    cvTerm: {
      device: [
        {
          uri: `http://vocab.nerc.ac.uk/collection/L22/current/TOOL${String(d.deviceId % 10_000).padStart(4, '0')}/`,
          vocabulary: 'SeaVoX Device Catalogue',
        },
      ],
    },
    dataRating: [{ dateFrom: d.dataFrom, dateTo: d.dataTo, samplePeriod: d.samplePeriodSec ?? 1, sampleSize: 1 }],
    deviceCategoryCode: d.deviceCategoryCode,
    deviceCode: d.deviceCode,
    deviceId: d.deviceId,
    deviceLink: `https://data.oceannetworks.ca/DeviceListing?DeviceId=${d.deviceId}`,
    deviceName: d.deviceName,
    hasDeviceData: a.flag(true),
  };
}

function deploymentRow(a: Answering, d: CatalogueDevice) {
  const position = devicePosition(a.catalogue, d);
  const location = locationOf(a.catalogue, d.locationCode);
  const category = a.catalogue.deviceCategories.find((c) => c.deviceCategoryCode === d.deviceCategoryCode);
  const year = new Date(Date.parse(d.dataFrom)).getUTCFullYear();
  const doi = deviceDoi(d);
  return {
    begin: formatOncDate(Date.parse(d.dataFrom)),
    citation: {
      citation:
        `Ocean Networks Canada Society. ${year}. ${location?.locationName ?? d.locationCode} ` +
        `${category?.deviceCategoryName ?? d.deviceCategoryCode} Deployed ${d.dataFrom.slice(0, 10)}. ` +
        `Ocean Networks Canada Society. https://doi.org/${doi}.`,
      doi,
      landingPageUrl: `https://doi.org/${doi}`,
      queryPid: null,
    },
    depth: position.depth,
    deviceCategoryCode: d.deviceCategoryCode,
    deviceCode: d.deviceCode,
    end: d.dataTo === null ? null : formatOncDate(Date.parse(d.dataTo)),
    hasDeviceData: a.flag(true),
    heading: d.heading ?? null,
    lat: position.lat,
    locationCode: d.locationCode,
    lon: position.lon,
    pitch: d.pitch ?? null,
    roll: d.roll ?? null,
  };
}

function answerDeployments(a: Answering): Reply {
  const rows = matchingDevices(a).map((d) => deploymentRow(a, d));
  return rows.length > 0 ? jsonReply(200, rows) : errorReply(400, oncError.noDeployments());
}

// ---- device categories and properties ----

function answerDeviceCategories(a: Answering): Reply {
  const { query, catalogue } = a;
  const location = query.get('locationCode');
  const property = query.get('propertyCode');
  const rows = catalogue.deviceCategories
    .filter((c) => {
      const code = query.get('deviceCategoryCode');
      if (code !== null && c.deviceCategoryCode !== code) return false;
      if (!nameMatches(query.get('deviceCategoryName'), c.deviceCategoryName)) return false;
      if (!nameMatches(query.get('description'), c.description ?? c.deviceCategoryName)) return false;
      if (location === null && property === null) return true;
      return catalogue.devices.some(
        (d) =>
          d.deviceCategoryCode === c.deviceCategoryCode &&
          (location === null || d.locationCode === location) &&
          (property === null || d.propertyCodes.includes(property)),
      );
    })
    .map((c) => ({
      cvTerm: {
        deviceCategory: [
          {
            uri: `http://vocab.nerc.ac.uk/collection/L05/current/${c.deviceCategoryCode}/`,
            vocabulary: 'SeaDataNet device categories',
          },
        ],
      },
      description: c.description ?? c.deviceCategoryName,
      deviceCategoryCode: c.deviceCategoryCode,
      deviceCategoryName: c.deviceCategoryName,
      hasDeviceData: a.flag(catalogue.devices.some((d) => d.deviceCategoryCode === c.deviceCategoryCode)),
      longDescription: c.longDescription ?? '',
    }));
  return listOrNotFound(rows, 'device categories');
}

function answerProperties(a: Answering): Reply {
  const { query, catalogue } = a;
  const deviceFilters = ['locationCode', 'deviceCategoryCode', 'deviceCode'].some((n) => query.get(n) !== null);
  const devices = matchingDevices({
    ...a,
    query: { ...query, get: (n) => (n === 'propertyCode' ? null : query.get(n)) },
  });
  const rows = catalogue.properties
    .filter((p) => {
      const code = query.get('propertyCode');
      if (code !== null && p.propertyCode !== code) return false;
      if (!nameMatches(query.get('propertyName'), p.propertyName)) return false;
      if (!nameMatches(query.get('description'), p.description ?? p.propertyName)) return false;
      return !deviceFilters || devices.some((d) => d.propertyCodes.includes(p.propertyCode));
    })
    .map((p) => ({
      cvTerm: {
        property: [],
        uom: [
          {
            uri: `http://vocab.nerc.ac.uk/collection/P06/current/${encodeURIComponent(p.uom ?? 'UUUU')}/`,
            vocabulary: 'BODC data storage units',
          },
        ],
      },
      description: p.description ?? p.propertyName,
      hasDeviceData: a.flag(catalogue.devices.some((d) => d.propertyCodes.includes(p.propertyCode))),
      hasPropertyData: a.flag(catalogue.dataProducts.some((dp) => dp.propertyCodes.includes(p.propertyCode))),
      propertyCode: p.propertyCode,
      propertyName: p.propertyName,
      uom: p.uom ?? '',
    }));
  return listOrNotFound(rows, 'properties');
}

// ---- data products ----

function optionRow(a: Answering, o: CatalogueDataProductOption) {
  return {
    allowableRange: o.allowableRange ? { ...o.allowableRange } : null,
    allowableValues: [...o.allowableValues],
    defaultValue: o.defaultValue,
    documentation: [...o.documentation],
    option: a.ctx.discoveryOptions.optionNames === 'dpo_' ? `dpo_${o.option}` : o.option,
    suboptions: null,
  };
}

function productRow(a: Answering, p: CatalogueDataProduct, extension: string) {
  return {
    dataProductCode: p.dataProductCode,
    dataProductName: p.dataProductName,
    dataProductOptions: (p.options ?? [])
      .filter((o) => !o.extensions || o.extensions.includes(extension))
      .map((o) => optionRow(a, o)),
    extension,
    hasDeviceData: a.flag(p.deviceCategoryCodes.length > 0),
    hasPropertyData: a.flag(p.propertyCodes.length > 0),
    helpDocument: p.helpDocument ?? `https://wiki.oceannetworks.ca/display/DP/${p.dataProductCode}`,
  };
}

function answerDataProducts(a: Answering): Reply {
  const { query, catalogue } = a;
  const selection = {
    locationCode: query.get('locationCode'),
    deviceCategoryCode: query.get('deviceCategoryCode'),
    deviceCode: query.get('deviceCode'),
    propertyCode: query.get('propertyCode'),
  };
  const selective = Object.values(selection).some((v) => v !== null);
  const rows = catalogue.dataProducts
    .filter(
      (p) =>
        (query.get('dataProductCode') === null || p.dataProductCode === query.get('dataProductCode')) &&
        nameMatches(query.get('dataProductName'), p.dataProductName) &&
        (!selective || productOffered(catalogue, p, selection)),
    )
    .flatMap((p) =>
      p.extensions
        .filter((e) => query.get('extension') === null || e === query.get('extension'))
        .map((e) => productRow(a, p, e)),
    );
  return listOrNotFound(rows, 'data products');
}

const ANSWERS: Record<DiscoveryMethod, (a: Answering) => Reply> = {
  locations: answerLocations,
  'locations/tree': answerLocationTree,
  devices: (a) =>
    listOrNotFound(
      matchingDevices(a).map((d) => deviceRow(a, d)),
      'devices',
    ),
  deviceCategories: answerDeviceCategories,
  properties: answerProperties,
  dataProducts: answerDataProducts,
  deployments: answerDeployments,
};

export function prepareDiscoveryMethod(method: DiscoveryMethod, ctx: ServiceContext): Prepared {
  const parsed = parseDiscovery(method, ctx.params, ctx.catalogue, ctx.now);
  if (!parsed.ok) return refuse(errorReply(400, ...parsed.errors));
  const strings = ctx.discoveryOptions.stringBooleans;
  const answering: Answering = {
    ctx,
    catalogue: ctx.catalogue,
    query: parsed.query,
    flag: (value) => (strings ? String(value) : value),
  };
  return ready(() => ANSWERS[method](answering));
}

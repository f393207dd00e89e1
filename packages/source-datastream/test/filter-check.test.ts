import { describe, expect, it } from 'vitest';
import { filterProblem } from '../src/filter-check.js';

describe('the local $filter check', () => {
  it.each([
    "DOI eq '10.25976/abcd-1234' and CharacteristicName in ('pH', 'Temperature, water')",
    "RegionId eq 'hub.atlantic'",
    "(CharacteristicName eq 'pH' or CharacteristicName eq 'Dissolved oxygen saturation') and ActivityStartYear gte 2019",
    "LongitudeNormalized gt '-102.01' and LongitudeNormalized lt '-88.99' and LatitudeNormalized gt 49",
    "MonitoringLocationType ne 'River/Stream' and ActivityStartYear lte '2020'",
    "CharacteristicName eq 'Fish''s tag'",
    'LocationId in (1, 2, 3)',
  ])('accepts the documented form %s on Observations', (filter) => {
    expect(filterProblem(filter, 'Observations')).toBeUndefined();
  });

  it('accepts endswith and the Metadata-only fields on Metadata', () => {
    expect(filterProblem("endswith(DOI, 'xxxx-xx00')", 'Metadata')).toBeUndefined();
    expect(filterProblem("DatasetName eq 'A' and CreateTimestamp gt '2020-03-23'", 'Metadata')).toBeUndefined();
  });

  it.each([
    ["Colour eq 'red'", /unknown field 'Colour' at position 1; Observations filters on DOI, LocationId/],
    ["Name eq 'Bow River'", /unknown field 'Name' at position 1/],
    ["CharacteristicName like 'pH'", /expected an operator .* after CharacteristicName, found 'like' at position 20/],
    ["CharacteristicName eq 'pH", /the string opened at position 23 is never closed/],
    ["(CharacteristicName eq 'pH'", /expected '\)' to close the '\(' at position 1, found the end of the filter/],
    ["CharacteristicName eq 'pH')", /expected 'and', 'or' or the end, found '\)' at position 27/],
    ["CharacteristicName in 'pH'", /expected '\(' after 'CharacteristicName in'/],
    [
      "CharacteristicName in ('pH' 'x')",
      /expected ',' or '\)' in the list of 'CharacteristicName in', found the string 'x'/,
    ],
    ["CharacteristicName eq 'pH' and", /expected a field name, found the end of the filter/],
    ["contains(DOI, 'x')", /unknown function 'contains' at position 1/],
    ['CharacteristicName eq pH', /expected a quoted value or a number after 'CharacteristicName eq', found 'pH'/],
    ["DOI eq '1' ; drop", /unexpected ';' at position 12/],
    ['   ', /the filter is empty/],
  ])('refuses %s, naming the part', (filter, message) => {
    expect(filterProblem(filter, 'Observations')).toMatch(message);
  });

  it('knows each resource has its own filter fields', () => {
    expect(filterProblem("Name eq 'Bow River'", 'Locations')).toBeUndefined();
    expect(filterProblem('LatitudeNormalized gt 49', 'Records')).toMatch(/unknown field 'LatitudeNormalized'/);
    expect(filterProblem("DatasetName eq 'x'", 'Observations')).toMatch(/unknown field 'DatasetName'/);
  });
});

/**
 * The order Swagger UI shows as the example of POST /orders: the same as examples/sample-order.json (six days of CTD
 * data at Barkley Canyon, one product per day), which the ONC simulator serves. A test keeps the two the same.
 */
export const sampleOrder = {
  label: 'Barkley Canyon CTD, one file set per day',
  filters: {
    dataProductCode: 'TSSD',
    extension: 'csv',
    locationCode: 'BACAX',
    deviceCategoryCode: 'CTD',
    dateFrom: '2016-07-25',
    dateTo: '2016-07-31',
    dpo_qualityControl: 1,
    dpo_resample: 'none',
    dpo_dataGaps: 0,
  },
  split: 'P1D',
  includeMetadataFile: true,
} as const;

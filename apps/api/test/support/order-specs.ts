/** Two locations × three one-day windows: six products. */
export function sixProductSpec(label = 'six products') {
  return {
    label,
    filters: {
      dataProductCode: 'TSSD',
      extension: 'csv',
      locationCode: ['BACAX', 'NC89'],
      deviceCategoryCode: 'CTD',
      dateFrom: '2024-01-01',
      dateTo: '2024-01-04',
    },
    split: 'P1D',
  };
}

/** One product. */
export function oneProductSpec(label = 'one product') {
  return {
    label,
    filters: {
      dataProductCode: 'TSSD',
      extension: 'csv',
      locationCode: 'BACAX',
      deviceCategoryCode: 'CTD',
      dateFrom: '2024-01-01',
      dateTo: '2024-01-02',
    },
  };
}

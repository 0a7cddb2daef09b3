// Original file: marchproxy/types.proto


/**
 * One condition of a Query.
 */
export interface Filter {
  'field'?: (string);
  'operator'?: (string);
  'value'?: (string);
}

/**
 * One condition of a Query.
 */
export interface Filter__Output {
  'field': (string);
  'operator': (string);
  'value': (string);
}

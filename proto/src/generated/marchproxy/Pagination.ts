// Original file: marchproxy/types.proto


/**
 * Page request (page, page_size) and page result (total_items, total_pages).
 */
export interface Pagination {
  'page'?: (number);
  'page_size'?: (number);
  'total_items'?: (number);
  'total_pages'?: (number);
}

/**
 * Page request (page, page_size) and page result (total_items, total_pages).
 */
export interface Pagination__Output {
  'page': (number);
  'page_size': (number);
  'total_items': (number);
  'total_pages': (number);
}

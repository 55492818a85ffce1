/**
 * The stable semantic-convention names the span helpers write. The
 * `sightline` entry loads nothing but `@opentelemetry/api`, so the values
 * live here; each is typed as the constant `@opentelemetry/semantic-conventions`
 * declares, so the compiler proves the two are the same string.
 */
import type * as semconv from '@opentelemetry/semantic-conventions';

export const ATTR_DB_COLLECTION_NAME: typeof semconv.ATTR_DB_COLLECTION_NAME = 'db.collection.name';
export const ATTR_DB_NAMESPACE: typeof semconv.ATTR_DB_NAMESPACE = 'db.namespace';
export const ATTR_DB_OPERATION_NAME: typeof semconv.ATTR_DB_OPERATION_NAME = 'db.operation.name';
export const ATTR_DB_QUERY_TEXT: typeof semconv.ATTR_DB_QUERY_TEXT = 'db.query.text';
export const ATTR_DB_SYSTEM_NAME: typeof semconv.ATTR_DB_SYSTEM_NAME = 'db.system.name';
export const ATTR_ERROR_TYPE: typeof semconv.ATTR_ERROR_TYPE = 'error.type';
export const ATTR_HTTP_REQUEST_METHOD: typeof semconv.ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
export const ATTR_HTTP_REQUEST_METHOD_ORIGINAL: typeof semconv.ATTR_HTTP_REQUEST_METHOD_ORIGINAL =
  'http.request.method_original';
export const ATTR_HTTP_RESPONSE_STATUS_CODE: typeof semconv.ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const ATTR_SERVER_ADDRESS: typeof semconv.ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT: typeof semconv.ATTR_SERVER_PORT = 'server.port';
export const ATTR_URL_FULL: typeof semconv.ATTR_URL_FULL = 'url.full';
export const ERROR_TYPE_VALUE_OTHER: typeof semconv.ERROR_TYPE_VALUE_OTHER = '_OTHER';
export const HTTP_REQUEST_METHOD_VALUE_OTHER: typeof semconv.HTTP_REQUEST_METHOD_VALUE_OTHER = '_OTHER';

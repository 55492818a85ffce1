/**
 * A small typed builder for span attributes. Known keys (Sightline's own and
 * the semantic-convention ones the helpers use) have their value type
 * checked at compile time; any other key accepts any attribute value.
 */
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import type {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import { TENANT_ID_KEY, USER_ID_KEY } from '../context/keys.ts';
import type {
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
} from './semconv.ts';

/**
 * The application module a span belongs to (`orders`, `billing`). Span
 * metrics label by it, so keep the set of values small and fixed.
 */
export const ATTR_APP_MODULE = 'app.module';

/** The operation within the module (`place`, `refund`); low-cardinality too. */
export const ATTR_APP_OPERATION = 'app.operation';

/** Value types of the attribute keys the builder knows. */
export interface KnownAttributes {
  [ATTR_APP_MODULE]: string;
  [ATTR_APP_OPERATION]: string;
  [TENANT_ID_KEY]: string;
  [USER_ID_KEY]: string;
  [ATTR_ERROR_TYPE]: string;
  [ATTR_HTTP_REQUEST_METHOD]: string;
  [ATTR_HTTP_RESPONSE_STATUS_CODE]: number;
  [ATTR_HTTP_ROUTE]: string;
  [ATTR_URL_FULL]: string;
  [ATTR_URL_PATH]: string;
  [ATTR_SERVER_ADDRESS]: string;
  [ATTR_SERVER_PORT]: number;
  [ATTR_DB_SYSTEM_NAME]: string;
  [ATTR_DB_OPERATION_NAME]: string;
  [ATTR_DB_COLLECTION_NAME]: string;
  [ATTR_DB_QUERY_TEXT]: string;
  [ATTR_DB_NAMESPACE]: string;
  [ATTR_MESSAGING_SYSTEM]: string;
  [ATTR_MESSAGING_DESTINATION_NAME]: string;
  [ATTR_MESSAGING_MESSAGE_ID]: string;
  [ATTR_MESSAGING_OPERATION_TYPE]: string;
  [ATTR_MESSAGING_OPERATION_NAME]: string;
  [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: string;
}

/** The value type allowed for `key`: the known type, or any attribute value for other keys. */
export type AttributeValueFor<K extends string> = K extends keyof KnownAttributes ? KnownAttributes[K] : AttributeValue;

/** Collects attributes; every method returns the builder, `build()` a frozen object. */
export interface SpanAttributesBuilder {
  /** Sets `app.module`. */
  module(name: string): SpanAttributesBuilder;
  /** Sets `app.operation`. */
  operation(name: string): SpanAttributesBuilder;
  /** Sets `tenant.id` (the tenant span processor sets it from context anyway). */
  tenant(tenantId: string): SpanAttributesBuilder;
  /** Sets `user.id` (hashed by the tenant span processor when `hashUserIds` is on). */
  user(userId: string): SpanAttributesBuilder;
  /** Sets any key; known keys must get a value of their type. */
  set<K extends string>(key: K, value: AttributeValueFor<K>): SpanAttributesBuilder;
  /** The attributes collected so far, as a frozen object. */
  build(): Readonly<Attributes>;
}

/**
 * Starts an attribute builder:
 * `spanAttributes().module('orders').operation('place').set(ATTR_HTTP_REQUEST_METHOD, 'GET').build()`.
 */
export function spanAttributes(): SpanAttributesBuilder {
  const attributes: Attributes = {};
  const builder: SpanAttributesBuilder = {
    module: (name) => builder.set(ATTR_APP_MODULE, name),
    operation: (name) => builder.set(ATTR_APP_OPERATION, name),
    tenant: (tenantId) => builder.set(TENANT_ID_KEY, tenantId),
    user: (userId) => builder.set(USER_ID_KEY, userId),
    set(key, value) {
      attributes[key] = value;
      return builder;
    },
    build: () => Object.freeze({ ...attributes }),
  };
  return builder;
}

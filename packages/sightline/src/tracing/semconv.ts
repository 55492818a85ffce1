/**
 * Incubating semantic-convention attribute names Sightline uses, copied here
 * as the OpenTelemetry guidance recommends (the `incubating` entry point of
 * `@opentelemetry/semantic-conventions` may change in minor releases).
 * Stable names are imported from the package itself.
 */

export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const ATTR_MESSAGING_CONSUMER_GROUP_NAME = 'messaging.consumer.group.name';

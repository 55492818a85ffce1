/**
 * Readers for the fields of a decoded OTLP export request. A request arrives
 * either as OTLP/JSON (ids as hex strings, 64-bit integers as strings or
 * numbers, enums as numbers) or as protobuf decoded by protobufjs (ids as
 * bytes, 64-bit integers as decimal strings); the same readers take both, so
 * every signal has one decoder. Each reader names the path of a bad field.
 */
import { OtlpRequestError } from 'sightline/errors';

/** An attribute value after decoding. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

/** Attributes by key. */
export type Attributes = Readonly<Record<string, AttributeValue>>;

/** A decoded message: a plain object from JSON or from protobufjs' `toObject`. */
export type Message = Record<string, unknown>;

/** An attribute value as text: strings as they are, anything else as JSON. */
export function formatAttribute(value: AttributeValue | undefined): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

/** A 400 naming the bad field. */
export function badField(path: string, expected: string): OtlpRequestError {
  return new OtlpRequestError(400, `${path} must be ${expected}`);
}

export function objectAt(value: unknown, path: string): Message {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) throw badField(path, 'an object');
  return value as Message;
}

export function optionalObject(value: unknown): Message | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) ? (value as Message) : undefined;
}

/** The array at `key` (absent: empty). */
export function arrayAt(object: Message, key: string, path: string): unknown[] {
  const value = object[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badField(`${path}.${key}`, 'an array');
  return value;
}

/** The objects of the array at `key`, each with its path. */
export function objectsAt(object: Message, key: string, path: string): [Message, string][] {
  return arrayAt(object, key, path).map((value, i) => [objectAt(value, `${path}.${key}[${i}]`), `${path}.${key}[${i}]`]);
}

/** The string at `key`; absent is `''` (proto3 default). */
export function stringAt(object: Message, key: string, path: string): string {
  const value = object[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw badField(`${path}.${key}`, 'a string');
  return value;
}

/** The id at `key` in lower-case hex ('' when absent), from a hex string or bytes; `bytes` is its expected length. */
export function idAt(object: Message, key: string, path: string, bytes: number): string {
  const value = object[key];
  if (value === undefined || value === null || value === '') return '';
  const hex = value instanceof Uint8Array ? Buffer.from(value).toString('hex') : typeof value === 'string' && /^[0-9a-fA-F]*$/.test(value) ? value.toLowerCase() : undefined;
  if (hex === undefined || (hex.length !== bytes * 2 && hex.length !== 0)) {
    throw badField(`${path}.${key}`, `${bytes} bytes (${bytes * 2} hex digits)`);
  }
  return /^0*$/.test(hex) ? '' : hex;
}

/** A whole number at `key` (0 when absent), from a number or a decimal string. */
export function integerAt(object: Message, key: string, path: string): bigint {
  const value = object[key];
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw badField(`${path}.${key}`, 'a whole number');
}

/** A number at `key` (0 when absent), from a number or a numeric string (JSON may carry 64-bit integers as strings, doubles as "NaN"/"Infinity"). */
export function numberAt(object: Message, key: string, path: string): number {
  const value = object[key];
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (value === 'NaN') return Number.NaN;
  throw badField(`${path}.${key}`, 'a number');
}

/** An enum at `key` as its number (0 when absent). */
export function enumAt(object: Message, key: string, path: string): number {
  const value = object[key];
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw badField(`${path}.${key}`, 'an enum number');
}

/** Attributes (a list of `{ key, value }`) at `key`. */
export function attributesAt(object: Message, key: string, path: string): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const [entry, entryPath] of objectsAt(object, key, path)) {
    attributes[stringAt(entry, 'key', entryPath)] = anyValue(entry['value'], `${entryPath}.value`);
  }
  return attributes;
}

/** An OTLP `AnyValue`. */
export function anyValue(value: unknown, path: string): AttributeValue {
  const v = optionalObject(value);
  if (!v) return null;
  if (v['stringValue'] !== undefined) return stringAt(v, 'stringValue', path);
  if (typeof v['boolValue'] === 'boolean') return v['boolValue'];
  if (v['intValue'] !== undefined) return Number(integerAt(v, 'intValue', path));
  if (v['doubleValue'] !== undefined) return numberAt(v, 'doubleValue', path);
  const array = optionalObject(v['arrayValue']);
  if (array) return arrayAt(array, 'values', `${path}.arrayValue`).map((item, i) => anyValue(item, `${path}.arrayValue.values[${i}]`));
  const kvlist = optionalObject(v['kvlistValue']);
  if (kvlist) return attributesAt(kvlist, 'values', `${path}.kvlistValue`);
  const bytes = v['bytesValue'];
  if (bytes instanceof Uint8Array) return Buffer.from(bytes).toString('base64');
  if (typeof bytes === 'string') return bytes;
  return null;
}

/** The resource and scope shared by the items of one `resource*`/`scope*` group. */
export interface Origin {
  readonly resource: Attributes;
  readonly serviceName: string;
  readonly scope: { readonly name: string; readonly version: string };
}

/** Walks `resourceX[].scopeX[].items[]`, handing each item its origin. */
export function eachItem(
  body: unknown,
  resourceKey: string,
  scopeKey: string,
  itemKey: string,
  visit: (item: Message, path: string, origin: Origin) => void,
): void {
  const root = objectAt(body, 'body');
  for (const [resourceGroup, resourcePath] of objectsAt(root, resourceKey, 'body')) {
    const resource = attributesAt(optionalObject(resourceGroup['resource']) ?? {}, 'attributes', `${resourcePath}.resource`);
    const serviceName = formatAttribute(resource['service.name'] ?? 'unknown_service');
    for (const [scopeGroup, scopePath] of objectsAt(resourceGroup, scopeKey, resourcePath)) {
      const scopeObject = optionalObject(scopeGroup['scope']) ?? {};
      const scope = { name: stringAt(scopeObject, 'name', `${scopePath}.scope`), version: stringAt(scopeObject, 'version', `${scopePath}.scope`) };
      const origin = { resource, serviceName, scope };
      for (const [item, itemPath] of objectsAt(scopeGroup, itemKey, scopePath)) visit(item, itemPath, origin);
    }
  }
}

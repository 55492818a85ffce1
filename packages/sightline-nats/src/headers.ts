/** Converting between NATS headers and the bus's lower-case header map. */
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { MsgHdrs } from '@nats-io/transport-node';

/** Header names as the bus reads them: lower-case, first value of each. */
export function toHeaderMap(headers: MsgHdrs | undefined): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  if (headers === undefined) return map;
  for (const [name, values] of headers) {
    const value = values[0];
    const key = name.toLowerCase();
    if (value !== undefined && !map.has(key)) map.set(key, value);
  }
  return map;
}

/** The longest header value sent; longer ones are cut. */
const MAX_HEADER_VALUE = 4096;

/** `value` on one line and at most {@link MAX_HEADER_VALUE} characters (most values already are, and are kept as they are). */
function headerValue(value: string): string {
  if (value.length <= MAX_HEADER_VALUE && !value.includes('\n') && !value.includes('\r')) return value;
  return value.replace(/[\r\n]+/g, ' ').slice(0, MAX_HEADER_VALUE);
}

/** NATS headers holding `entries`; values are made single-line and capped at 4 KiB. */
export function toNatsHeaders(entries: Iterable<readonly [string, string]>): MsgHdrs {
  const headers = natsHeaders();
  for (const [name, value] of entries) headers.set(name, headerValue(value));
  return headers;
}

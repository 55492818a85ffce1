/** Converting between NATS headers and the bus's lower-case header map. */
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { MsgHdrs } from '@nats-io/transport-node';

/** Header names as the bus reads them: lower-case, first value of each. */
export function toHeaderMap(headers: MsgHdrs | undefined): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  if (headers === undefined) return map;
  for (const [name, values] of headers) {
    const value = values[0];
    if (value !== undefined && !map.has(name.toLowerCase())) map.set(name.toLowerCase(), value);
  }
  return map;
}

/** NATS headers holding `entries`; values are made single-line and capped at 4 KiB. */
export function toNatsHeaders(entries: Iterable<readonly [string, string]>): MsgHdrs {
  const headers = natsHeaders();
  for (const [name, value] of entries) headers.set(name, value.replace(/[\r\n]+/g, ' ').slice(0, 4096));
  return headers;
}

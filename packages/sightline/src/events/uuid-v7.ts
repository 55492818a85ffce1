/**
 * UUID version 7 (RFC 9562): a 48-bit Unix millisecond timestamp, then
 * random bits. Ids sort by creation time, and ids made in one process are
 * strictly increasing: within one millisecond the 12-bit `rand_a` field is a
 * counter (RFC 9562 §6.2, method 1) seeded at random each millisecond; when
 * it overflows, or the clock steps back, the timestamp is advanced past the
 * previous one instead.
 */

const COUNTER_MAX = 0xfff;

let lastMillis = -1;
let counter = 0;

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Random bytes drawn from the system's generator in blocks, 10 per id: one call per 409 ids, not one per id. */
const RANDOM_PER_ID = 10;
const pool = new Uint8Array(RANDOM_PER_ID * 409);
let poolOffset = pool.length;

function randomBytes(): Uint8Array {
  if (poolOffset === pool.length) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  poolOffset += RANDOM_PER_ID;
  return pool.subarray(poolOffset - RANDOM_PER_ID, poolOffset);
}

/** Returns a new UUIDv7 string, e.g. `0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b`. */
export function uuidv7(now: number = Date.now()): string {
  const random = randomBytes();
  let millis = Math.floor(now);
  if (millis > lastMillis) {
    // Seed below half the range so many ids fit in the same millisecond.
    counter = ((random[0]! << 8) | random[1]!) & 0x7ff;
  } else {
    millis = lastMillis;
    counter += 1;
    if (counter > COUNTER_MAX) {
      millis += 1;
      counter = ((random[0]! << 8) | random[1]!) & 0x7ff;
    }
  }
  lastMillis = millis;

  const bytes = new Uint8Array(16);
  for (let index = 5; index >= 0; index -= 1) {
    bytes[index] = millis % 256;
    millis = Math.floor(millis / 256);
  }
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (random[2]! & 0x3f);
  bytes.set(random.subarray(3, 10), 9);

  let text = '';
  for (let index = 0; index < 16; index += 1) {
    if (index === 4 || index === 6 || index === 8 || index === 10) text += '-';
    text += HEX[bytes[index]!]!;
  }
  return text;
}

/** The millisecond timestamp stored in a UUIDv7. */
export function uuidv7Time(id: string): number {
  return Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}

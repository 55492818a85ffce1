/**
 * The message the bus hands a transport for one publish. The envelope's
 * JSON text is made once; its UTF-8 bytes are made when a transport first
 * reads `body` (a broker transport at once, the memory transport only for a
 * dead letter); {@link utf8SizeAbove} checks its size without encoding it.
 */
import type { LocalEnvelope } from './local-envelope.ts';
import type { OutgoingMessage } from './transport.ts';

const encoder = new TextEncoder();

/** An {@link OutgoingMessage} whose body is encoded on first read. */
export class EncodedOnDemand implements OutgoingMessage {
  readonly type: string;
  readonly id: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly local: LocalEnvelope | undefined;
  readonly #json: string;
  #body: Uint8Array | undefined;

  constructor(type: string, id: string, json: string, headers: Readonly<Record<string, string>>, local: LocalEnvelope | undefined) {
    this.type = type;
    this.id = id;
    this.#json = json;
    this.headers = headers;
    this.local = local;
  }

  get body(): Uint8Array {
    this.#body ??= encoder.encode(this.#json);
    return this.#body;
  }
}

/** The UTF-8 size of `text` in bytes when it is larger than `limit`, else `undefined`; counted only when the text could be that long (a UTF-16 unit is at most 3 UTF-8 bytes). */
export function utf8SizeAbove(text: string, limit: number): number | undefined {
  if (text.length * 3 <= limit) return undefined;
  const size = Buffer.byteLength(text, 'utf8');
  return size > limit ? size : undefined;
}

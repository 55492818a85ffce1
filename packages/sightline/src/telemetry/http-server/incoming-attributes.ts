/**
 * The attributes of an HTTP server span, as the stable HTTP semantic
 * conventions name them and OpenTelemetry's node:http instrumentation sets
 * them. They come in two parts: what a sampler may decide on (method,
 * scheme, path, query), given when the span starts, and the rest (addresses,
 * user agent, protocol version), added only to a span that is recorded, so a
 * request that is not sampled costs no parsing of headers it does not need.
 */
import type { IncomingMessage } from 'node:http';
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import { firstHeaderValue } from '../../http/core/id-source.ts';

/** Query parameters whose values are credentials (signed URLs), replaced by `REDACTED` as OpenTelemetry does. */
const REDACTED_PARAMETERS: ReadonlySet<string> = new Set(['sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature']);
const REDACTED = 'REDACTED';

/** The attributes known when the request starts, for the sampler: method, scheme, path and query. */
export function startAttributes(request: IncomingMessage, scheme: string, method: string): Attributes {
  const target = request.url ?? '/';
  const queryStart = target.indexOf('?');
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_SCHEME]: scheme,
    [ATTR_URL_PATH]: queryStart === -1 ? target : target.slice(0, queryStart),
  };
  if (queryStart !== -1 && queryStart < target.length - 1) attributes[ATTR_URL_QUERY] = redactQuery(target.slice(queryStart + 1));
  if (request.method !== method) attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = request.method;
  return attributes;
}

/** The rest of the request's attributes, for a recorded span. */
export function detailAttributes(request: IncomingMessage, scheme: string): Attributes {
  const { headers, socket } = request;
  const attributes: Attributes = {
    [ATTR_NETWORK_PEER_ADDRESS]: socket.remoteAddress,
    [ATTR_NETWORK_PEER_PORT]: socket.remotePort,
    [ATTR_NETWORK_PROTOCOL_VERSION]: request.httpVersion,
    [ATTR_USER_AGENT_ORIGINAL]: headers['user-agent'],
  };
  const server = serverAddressOf(request, scheme);
  if (server !== undefined) {
    attributes[ATTR_SERVER_ADDRESS] = server.host;
    if (server.port !== undefined) attributes[ATTR_SERVER_PORT] = server.port;
  }
  const client = clientAddressOf(request);
  if (client !== undefined) attributes[ATTR_CLIENT_ADDRESS] = client;
  return attributes;
}

function redactQuery(query: string): string {
  if (!query.split('&').some((pair) => REDACTED_PARAMETERS.has(pair.split('=', 1)[0]!))) return query;
  const parameters = new URLSearchParams(query);
  for (const name of REDACTED_PARAMETERS) if (parameters.has(name)) parameters.set(name, REDACTED);
  return parameters.toString();
}

/** `Forwarded: for=…;host=…;proto=…` entries, first to last. */
function forwardedEntries(header: string): Map<string, string>[] {
  return header.split(',').map(
    (entry) =>
      new Map(
        entry.split(';').flatMap((pair) => {
          const equals = pair.indexOf('=');
          if (equals === -1) return [];
          return [[pair.slice(0, equals).trim().toLowerCase(), pair.slice(equals + 1).trim().replace(/^"(.*)"$/, '$1')] as const];
        }),
      ),
  );
}

/** Where the client sent the request: `Forwarded` host, else `X-Forwarded-Host`, else `Host`. */
function serverAddressOf(request: IncomingMessage, scheme: string): { host: string; port: number | undefined } | undefined {
  const forwarded = firstHeaderValue(request.headers['forwarded']);
  if (forwarded !== undefined) {
    const entry = forwardedEntries(forwarded).find((candidate) => candidate.has('host'));
    if (entry !== undefined) return hostAndPort(entry.get('host')!, entry.get('proto'));
  }
  const forwardedHost = firstHeaderValue(request.headers['x-forwarded-host']);
  if (forwardedHost !== undefined && forwardedHost !== '') {
    return hostAndPort(forwardedHost, firstHeaderValue(request.headers['x-forwarded-proto']));
  }
  const host = request.headers.host;
  return host === undefined || host === '' ? undefined : hostAndPort(host, scheme);
}

function hostAndPort(hostHeader: string, scheme: string | undefined): { host: string; port: number | undefined } {
  const bracketEnd = hostHeader.lastIndexOf(']');
  const colon = hostHeader.lastIndexOf(':');
  if (colon > bracketEnd) {
    const port = Number(hostHeader.slice(colon + 1));
    return { host: hostHeader.slice(0, colon), port: Number.isInteger(port) ? port : undefined };
  }
  return { host: hostHeader, port: scheme === 'https' ? 443 : scheme === 'http' ? 80 : undefined };
}

/** The original client: `Forwarded` for, else the first `X-Forwarded-For`, else the peer. */
function clientAddressOf(request: IncomingMessage): string | undefined {
  const forwarded = firstHeaderValue(request.headers['forwarded']);
  if (forwarded !== undefined) {
    const entry = forwardedEntries(forwarded).find((candidate) => candidate.has('for'));
    if (entry !== undefined) return withoutPort(entry.get('for')!);
  }
  const forwardedFor = firstHeaderValue(request.headers['x-forwarded-for']);
  if (forwardedFor !== undefined) return withoutPort(forwardedFor.split(',')[0]!.trim());
  return request.socket.remoteAddress;
}

function withoutPort(address: string): string {
  if (address.startsWith('[')) {
    const end = address.indexOf(']');
    return end === -1 ? address : address.slice(1, end);
  }
  const colon = address.indexOf(':');
  return colon !== -1 && colon === address.lastIndexOf(':') ? address.slice(0, colon) : address;
}

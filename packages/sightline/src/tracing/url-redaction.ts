/** Making a URL safe to record: no credentials, query string or fragment. */

/** The parts of an absolute URL that describe the server it addresses. */
export interface RedactedUrl {
  /** `scheme://host[:port]/path`, without user info, query string or fragment. */
  readonly full: string;
  /** Host name (IPv6 without brackets). */
  readonly address: string;
  /** Port, explicit or the scheme's default (80, 443); `undefined` for other schemes without one. */
  readonly port: number | undefined;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 };

/**
 * `url` with user name, password, query string and fragment removed, or
 * `undefined` when it is not an absolute URL (nothing is then recorded,
 * rather than risk recording a secret).
 */
export function redactUrl(url: string | URL): RedactedUrl | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  const address = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const port = parsed.port === '' ? DEFAULT_PORTS[parsed.protocol] : Number(parsed.port);
  return { full: parsed.href, address, port };
}

/**
 * The one place where OpenTelemetry metric names, units and attribute keys
 * become Prometheus names and labels, following OpenTelemetry's
 * Prometheus-compatibility rules: dots and other characters Prometheus does
 * not allow become `_`, the unit (UCUM, annotations in braces dropped)
 * becomes a suffix in words (`s` -> `_seconds`), a gauge of unit `1` ends
 * in `_ratio`, and a counter ends in `_total`.
 */

/** The instrument kinds, as far as naming cares. */
export type NamedKind = 'counter' | 'gauge' | 'histogram';

/** UCUM units and the words Prometheus names use for them. */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
};

const PER_UNIT_WORDS: Readonly<Record<string, string>> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };

/** `text` with every run of characters Prometheus does not allow in a name replaced by one `_`. */
function sanitize(text: string): string {
  return text.replace(/[^a-zA-Z0-9_:]+/g, '_').replace(/_+/g, '_');
}

/** The Prometheus unit suffix for a UCUM unit (`s` -> `seconds`, `By/s` -> `bytes_per_second`), or `''`. */
export function unitSuffix(unit: string, kind: NamedKind): string {
  const bare = unit.replace(/\{[^}]*\}/g, '').trim();
  if (bare === '') return '';
  if (bare === '1') return kind === 'gauge' ? 'ratio' : '';
  const [numerator = '', denominator] = bare.split('/', 2);
  const top = UNIT_WORDS[numerator] ?? sanitize(numerator);
  if (denominator === undefined) return top.replace(/^_+|_+$/g, '');
  const bottom = PER_UNIT_WORDS[denominator] ?? UNIT_WORDS[denominator] ?? sanitize(denominator);
  return `${top}_per_${bottom}`.replace(/^_+|_+$/g, '');
}

/**
 * The Prometheus name of an OpenTelemetry instrument:
 * `prometheusName('http.server.request.duration', 's', 'histogram')` is
 * `http_server_request_duration_seconds`.
 */
export function prometheusName(otelName: string, unit: string, kind: NamedKind): string {
  let name = sanitize(otelName).replace(/^_+|_+$/g, '');
  if (/^[0-9]/.test(name)) name = `_${name}`;
  const suffix = unitSuffix(unit, kind);
  if (suffix !== '' && !name.endsWith(`_${suffix}`)) name = `${name}_${suffix}`;
  if (kind === 'counter') name = `${name.replace(/_total$/, '')}_total`;
  return name;
}

/** The Prometheus label name of an attribute key: `http.request.method` -> `http_request_method`. */
export function prometheusLabel(attributeKey: string): string {
  const label = attributeKey.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(label) ? `_${label}` : label;
}

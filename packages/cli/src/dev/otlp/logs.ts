/** Decodes a logs export request (`ExportLogsServiceRequest`, JSON or protobuf) into flat log records. */
import { anyValue, attributesAt, eachItem, enumAt, idAt, integerAt, stringAt } from './values.ts';
import type { AttributeValue, Attributes, Origin } from './values.ts';

/** One log record as the viewer keeps it. */
export interface ViewerLog extends Origin {
  /** When it happened (the observed time when the record has none). */
  readonly timeNanos: bigint;
  /** 1-24 as in the OpenTelemetry log data model (9 INFO, 13 WARN, 17 ERROR); 0 unknown. */
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: AttributeValue;
  readonly attributes: Attributes;
  /** '' when the record was written outside a span. */
  readonly traceId: string;
  readonly spanId: string;
}

/** The log records of a decoded request body; throws `OtlpRequestError` (400) naming the first bad field. */
export function decodeLogs(body: unknown): ViewerLog[] {
  const logs: ViewerLog[] = [];
  eachItem(body, 'resourceLogs', 'scopeLogs', 'logRecords', (record, path, origin) => {
    const time = integerAt(record, 'timeUnixNano', path);
    logs.push({
      ...origin,
      timeNanos: time === 0n ? integerAt(record, 'observedTimeUnixNano', path) : time,
      severityNumber: enumAt(record, 'severityNumber', path),
      severityText: stringAt(record, 'severityText', path),
      body: anyValue(record['body'], `${path}.body`),
      attributes: attributesAt(record, 'attributes', path),
      traceId: idAt(record, 'traceId', path, 16),
      spanId: idAt(record, 'spanId', path, 8),
    });
  });
  return logs;
}

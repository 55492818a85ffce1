/** Recording a failure on a span the same way everywhere. */
import { diag, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Exception, Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ERROR_TYPE_VALUE_OTHER } from './stable-semconv.ts';

/**
 * The low-cardinality `error.type` of a thrown value: its `code` when it has
 * a non-empty string or numeric one (`ECONNREFUSED`, `SIGHTLINE_…`), else its
 * constructor name (`TypeError`), else `_OTHER` (strings, plain objects).
 */
export function errorType(error: unknown): string {
  if (typeof error !== 'object' || error === null) return ERROR_TYPE_VALUE_OTHER;
  const code = (error as { code?: unknown }).code;
  if ((typeof code === 'string' && code !== '') || typeof code === 'number') return String(code);
  const constructorName = (error as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof constructorName === 'string' && constructorName !== '' && constructorName !== 'Object') {
    return constructorName;
  }
  return ERROR_TYPE_VALUE_OTHER;
}

/** Rewrites text from an error before it is recorded (e.g. redacting the values a database quoted). */
export type ErrorTextRedactor = (text: string) => string;

function describe(error: unknown, redact: ErrorTextRedactor | undefined): { readonly message: string; readonly exception: Exception } {
  if (error instanceof Error) {
    if (redact === undefined) return { message: error.message, exception: error };
    const message = redact(error.message);
    const code = (error as { code?: unknown }).code;
    return {
      message,
      exception: {
        name: error.name,
        message,
        ...(error.stack === undefined ? {} : { stack: redact(error.stack) }),
        ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
      },
    };
  }
  const message = (redact ?? String)(typeof error === 'string' ? error : String(error));
  return { message, exception: message };
}

/**
 * Records `error` on `span` (default: the active span): an `exception`
 * event, status ERROR with the error's message, and `error.type` (see
 * {@link errorType}). Accepts any thrown value and never throws; a span
 * that is not recording is left alone. `redact`, when given, rewrites the
 * message and stack before they are recorded.
 */
export function recordError(error: unknown, span: Span | undefined = trace.getActiveSpan(), redact?: ErrorTextRedactor): void {
  if (span === undefined || !span.isRecording()) return;
  try {
    const { message, exception } = describe(error, redact);
    span.recordException(exception);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
  } catch (failure) {
    diag.warn('sightline: could not record an error on a span', failure);
  }
}

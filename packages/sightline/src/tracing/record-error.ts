/** Recording a failure on a span the same way everywhere. */
import { diag, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
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

function describe(error: unknown): { readonly message: string; readonly exception: Error | string } {
  if (error instanceof Error) return { message: error.message, exception: error };
  const message = typeof error === 'string' ? error : String(error);
  return { message, exception: message };
}

/**
 * Records `error` on `span` (default: the active span): an `exception`
 * event, status ERROR with the error's message, and `error.type` (see
 * {@link errorType}). Accepts any thrown value and never throws; a span
 * that is not recording is left alone.
 */
export function recordError(error: unknown, span: Span | undefined = trace.getActiveSpan()): void {
  if (span === undefined || !span.isRecording()) return;
  try {
    const { message, exception } = describe(error);
    span.recordException(exception);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
  } catch (failure) {
    diag.warn('sightline: could not record an error on a span', failure);
  }
}

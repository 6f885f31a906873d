// One HTTP exchange for a provider: a timeout of its own plus the caller's AbortSignal, and
// failures turned into MeasurementError with a message that says what was asked and what failed.
import { MeasurementError } from '../analysis-errors.js';

export interface HttpRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal: AbortSignal;
}

export interface HttpResponse {
  status: number;
  text: string;
}

export async function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const method = request.method ?? 'GET';
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const init: RequestInit = { method, signal: AbortSignal.any([request.signal, timeout]) };
  if (request.headers !== undefined) init.headers = request.headers;
  if (request.body !== undefined) init.body = request.body;
  try {
    const response = await fetch(request.url, init);
    return { status: response.status, text: await response.text() };
  } catch (error) {
    // The caller's own abort (controller shutting down) is not a measurement failure: rethrow.
    if (request.signal.aborted) throw error;
    if (timeout.aborted) throw new MeasurementError(`${method} "${request.url}": request timed out after ${request.timeoutMs / 1000}s`, { cause: error });
    throw new MeasurementError(`${method} "${request.url}": ${describeFetchError(error)}`, { cause: error });
  }
}

/** fetch says only "fetch failed"; the useful part (ECONNREFUSED 127.0.0.1:9) is in its cause. */
function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const inner: unknown = cause.cause;
    return inner instanceof Error ? inner.message : cause.message;
  }
  return error.message;
}

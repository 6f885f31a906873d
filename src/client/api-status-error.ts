// Status bodies -> errors, shared by the HTTP and in-process clients so both throw the same types.
// The typed classes of src/lib/errors.ts cover what callers branch on (NotFound, AlreadyExists,
// Conflict, 410 Expired/Gone as CompactedError, BadRequest, ServiceUnavailable); every other
// Status (Invalid 422, Forbidden, Unauthorized, TooManyRequests, InternalError...) becomes an
// ApiStatusError carrying the HTTP code, the reason and the whole Status.
import type { KubeObject } from '../api/object.js';
import { AlreadyExistsError, BadRequestError, CompactedError, ConflictError, NotFoundError, UnavailableError } from '../lib/errors.js';

export interface StatusObject extends KubeObject {
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

export class ApiStatusError extends Error {
  /** The HTTP status code (422, 403, 500...). */
  readonly code: number;
  /** The Status reason (`Invalid`, `Forbidden`, ...); '' when the server sent none. */
  readonly reason: string;
  readonly status: StatusObject;
  constructor(status: StatusObject, options?: { cause?: unknown }) {
    super(status.message ?? `the server answered ${status.code ?? 0} ${status.reason ?? ''}`.trim(), options);
    this.name = 'ApiStatusError';
    this.code = status.code ?? 0;
    this.reason = status.reason ?? '';
    this.status = status;
  }
}

/** True for a 422 Invalid answer (validation failed). */
export function isInvalidError(error: unknown): error is ApiStatusError {
  return error instanceof ApiStatusError && error.reason === 'Invalid';
}

/** `too old resource version: 5 (12)`: upstream's 410 text; the numbers are informative only. */
function compactedRevisions(message: string, requested: string | undefined): [number, number] {
  const match = /\((\d+)\)\s*$/.exec(message);
  const requestedNumber = Number(/version: (\d+)/.exec(message)?.[1] ?? requested ?? 0);
  return [Number.isFinite(requestedNumber) ? requestedNumber : 0, Number(match?.[1] ?? 0)];
}

/**
 * The error a Status stands for. `httpCode` is used when the body carries none; `requestedRv` fills
 * CompactedError when the message does not carry the revision.
 */
export function errorFromStatus(status: StatusObject, httpCode?: number, requestedRv?: string): Error {
  const code = status.code ?? httpCode ?? 0;
  const message = status.message ?? '';
  const reason = status.reason ?? '';
  const cause = new ApiStatusError({ ...status, code });
  if (code === 404 && (reason === 'NotFound' || reason === '')) return new NotFoundError(message, { cause });
  if (code === 409 && reason === 'AlreadyExists') return new AlreadyExistsError(message, { cause });
  if (code === 409 && reason !== 'AlreadyExists') return new ConflictError(message, { cause });
  if (code === 410) {
    const [requested, compacted] = compactedRevisions(message, requestedRv);
    return new CompactedError(requested, compacted, { cause });
  }
  if (code === 400 && (reason === 'BadRequest' || reason === '')) return new BadRequestError(message, { cause });
  if (code === 503) return new UnavailableError(message, { cause });
  return cause;
}

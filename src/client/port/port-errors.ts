// Errors across a MessagePort: a thrown error travels as the Status the HTTP API would have sent
// (structured clone keeps neither classes nor causes) and is rebuilt on the calling side with
// errorFromStatus, the function the HTTP and in-process clients use, so a caller sees the same
// NotFoundError, ConflictError, CompactedError (410) ... whichever client it was given.
import { ApiStatusError, errorFromStatus, type StatusObject } from '../api-status-error.js';
import { AlreadyExistsError, BadRequestError, CompactedError, ConflictError, NotFoundError, UnavailableError } from '../../lib/errors.js';
import type { PortFailure } from './port-protocol.js';

function status(code: number, reason: string, message: string): StatusObject {
  return { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message, reason, code };
}

/** The Status for `error`: its own when it came from one, else built from its class. */
function statusOf(error: unknown): StatusObject {
  if (error instanceof ApiStatusError) return error.status;
  const cause = error instanceof Error ? error.cause : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof CompactedError) {
    // errorFromStatus reads both revisions back from upstream's wording.
    const base = cause instanceof ApiStatusError ? cause.status : status(410, 'Expired', '');
    return { ...base, code: 410, message: `too old resource version: ${error.requestedRevision} (${error.compactedRevision})` };
  }
  if (cause instanceof ApiStatusError) return cause.status;
  if (error instanceof NotFoundError) return status(404, 'NotFound', message);
  if (error instanceof AlreadyExistsError) return status(409, 'AlreadyExists', message);
  if (error instanceof ConflictError) return status(409, 'Conflict', message);
  if (error instanceof BadRequestError) return status(400, 'BadRequest', message);
  if (error instanceof UnavailableError) return status(503, 'ServiceUnavailable', message);
  return status(500, 'InternalError', message);
}

export function failureOf(error: unknown): PortFailure {
  const failure: PortFailure = { status: statusOf(error) };
  if (error instanceof ConflictError && error.currentRevision !== undefined) return { ...failure, currentRevision: error.currentRevision };
  return failure;
}

export function errorOf(failure: PortFailure): Error {
  const error = errorFromStatus(failure.status);
  if (error instanceof ConflictError && failure.currentRevision !== undefined) {
    return new ConflictError(error.message, { cause: error.cause, currentRevision: failure.currentRevision });
  }
  return error;
}

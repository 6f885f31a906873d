// gRPC failures of CRI calls as our typed errors. The message is the runtime's own text (runc's,
// the registry's) without grpc-js's "2 UNKNOWN: " prefix: the agent shows it to the user as the
// reason a pull or start failed.
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { NotFoundError, UnavailableError } from '../../../lib/errors.js';

/** A CRI call failed for a reason other than "not found" or "unreachable". */
export class CriCallError extends Error {
  readonly code = 'CriCallError';
  /** The gRPC status code (2 UNKNOWN for most runtime failures). */
  readonly grpcCode: number;
  readonly method: string;
  constructor(method: string, grpcCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CriCallError';
    this.method = method;
    this.grpcCode = grpcCode;
  }
}

function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as Partial<ServiceError>).code === 'number';
}

export function criError(method: string, error: unknown): Error {
  if (!isServiceError(error)) return error instanceof Error ? error : new Error(String(error));
  const details = error.details || error.message;
  switch (error.code) {
    case GrpcStatus.NOT_FOUND:
      return new NotFoundError(details, { cause: error });
    // UNAVAILABLE: containerd is down or restarting (grpc-js reconnects by itself; retry later).
    // DEADLINE_EXCEEDED: it did not answer in time, equally worth a retry.
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.DEADLINE_EXCEEDED:
      return new UnavailableError(`CRI ${method}: ${details}`, { cause: error });
    default:
      return new CriCallError(method, error.code, details, { cause: error });
  }
}

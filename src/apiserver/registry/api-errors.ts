// The API-level errors: the store's typed errors (src/lib/errors.ts) enriched with what the
// Kubernetes Status needs (qualified resource, name, field causes), worded exactly like upstream so
// kubectl prints what users know. status.ts is the one place that maps every error to a Status.
import type { FieldError } from '../../api/field-error.js';
import { formatFieldError } from '../../api/field-error.js';
import {
  AlreadyExistsError,
  BadRequestError,
  ConflictError,
  K8tsError,
  NotFoundError,
} from '../../lib/errors.js';

/** A resource as upstream's GroupResource prints it: `deployments.apps`, core `pods`. */
export interface QualifiedResource {
  readonly group: string;
  readonly resource: string;
}

/** A kind as upstream's GroupKind prints it: `Deployment.apps`, core `Pod`. */
export interface QualifiedKind {
  readonly group: string;
  readonly kind: string;
}

export function formatResource(r: QualifiedResource): string {
  return r.group === '' ? r.resource : `${r.resource}.${r.group}`;
}

export function formatKind(k: QualifiedKind): string {
  return k.group === '' ? k.kind : `${k.kind}.${k.group}`;
}

/** `deployments.apps "x" not found`; details {name, group, kind: resource}. */
export class ResourceNotFoundError extends NotFoundError {
  readonly qualifiedResource: QualifiedResource;
  readonly resourceName: string;
  constructor(resource: QualifiedResource, name: string, options?: { cause?: unknown }) {
    super(`${formatResource(resource)} "${name}" not found`, options);
    this.qualifiedResource = resource;
    this.resourceName = name;
  }
}

/** `pods "x" already exists`. */
export class ResourceAlreadyExistsError extends AlreadyExistsError {
  readonly qualifiedResource: QualifiedResource;
  readonly resourceName: string;
  constructor(resource: QualifiedResource, name: string, options?: { cause?: unknown }) {
    super(`${formatResource(resource)} "${name}" already exists`, options);
    this.qualifiedResource = resource;
    this.resourceName = name;
  }
}

/** `Operation cannot be fulfilled on deployments.apps "web": <reason>`. */
export class ResourceConflictError extends ConflictError {
  readonly qualifiedResource: QualifiedResource;
  readonly resourceName: string;
  constructor(resource: QualifiedResource, name: string, reason: string, options?: { cause?: unknown; currentRevision?: number }) {
    super(`Operation cannot be fulfilled on ${formatResource(resource)} "${name}": ${reason}`, options);
    this.qualifiedResource = resource;
    this.resourceName = name;
  }
}

export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

/** A delete precondition (uid / resourceVersion) does not hold: upstream's 409 wording. */
export class PreconditionFailedError extends ResourceConflictError {
  constructor(resource: QualifiedResource, name: string, detail: string) {
    super(resource, name, `Precondition failed: ${detail}`);
  }
}

/**
 * 422: `Deployment.apps "x" is invalid: spec.replicas: Invalid value: -1: must be ...`; with several
 * causes upstream prints the aggregate `[a, b]`.
 */
export class InvalidError extends K8tsError {
  readonly qualifiedKind: QualifiedKind;
  readonly resourceName: string;
  readonly causes: readonly FieldError[];
  constructor(kind: QualifiedKind, name: string, causes: readonly FieldError[], options?: { cause?: unknown }) {
    super('Invalid', invalidMessage(kind, name, causes), options);
    this.qualifiedKind = kind;
    this.resourceName = name;
    this.causes = causes;
  }
}

function invalidMessage(kind: QualifiedKind, name: string, causes: readonly FieldError[]): string {
  const head = `${formatKind(kind)} "${name}" is invalid`;
  const [only] = causes;
  if (only === undefined) return head;
  if (causes.length === 1) return `${head}: ${formatFieldError(only)}`;
  return `${head}: [${causes.map(formatFieldError).join(', ')}]`;
}

/**
 * 410 Expired that is not a plain store compaction: a continue token past compaction, or a watch
 * that fell out of the window. `continueToken` lets a list client carry on inconsistently.
 */
export class ExpiredError extends K8tsError {
  readonly continueToken: string | undefined;
  constructor(message: string, options?: { cause?: unknown; continueToken?: string }) {
    super('Compacted', message, options);
    this.continueToken = options?.continueToken;
  }
}

/** Errors the HTTP layer raises itself; they have no store counterpart. */
export type RequestErrorReason =
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotAcceptable';

export const REQUEST_ERROR_CODES: Readonly<Record<RequestErrorReason, number>> = {
  MethodNotAllowed: 405,
  UnsupportedMediaType: 415,
  RequestEntityTooLarge: 413,
  Unauthorized: 401,
  Forbidden: 403,
  NotAcceptable: 406,
};

/**
 * Base of the HTTP-only errors. Not a K8tsError: their codes are HTTP concepts that the store and
 * the lower layers never produce, so they stay out of the shared ErrorCode union.
 */
export class RequestError extends Error {
  readonly reason: RequestErrorReason;
  readonly details: { readonly name?: string; readonly group?: string; readonly kind?: string } | undefined;
  constructor(reason: RequestErrorReason, message: string, options?: { cause?: unknown; details?: { name?: string; group?: string; kind?: string } }) {
    super(message, options);
    this.reason = reason;
    this.details = options?.details;
    this.name = new.target.name;
  }
}

/** 405, e.g. `the server does not allow this method on the requested resource`. */
export class MethodNotSupportedError extends RequestError {
  constructor(message = 'the server does not allow this method on the requested resource', options?: { cause?: unknown }) {
    super('MethodNotAllowed', message, options);
  }
}

/** 415, e.g. `the body of the request was in an unknown format - accepted media types include: ...`. */
export class UnsupportedMediaTypeError extends RequestError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UnsupportedMediaType', message, options);
  }
}

/** 413 `Request entity too large: limit is 3145728`. */
export class EntityTooLargeError extends RequestError {
  readonly limit: number;
  constructor(limit: number, options?: { cause?: unknown }) {
    super('RequestEntityTooLarge', `Request entity too large: limit is ${limit}`, options);
    this.limit = limit;
  }
}

/** 401 `Unauthorized`. */
export class UnauthorizedError extends RequestError {
  constructor(message = 'Unauthorized', options?: { cause?: unknown }) {
    super('Unauthorized', message, options);
  }
}

/**
 * 403 `<resource> "<name>" is forbidden: <reason>` (upstream's NewForbidden), or a bare message
 * when no resource is involved.
 */
export class ForbiddenError extends RequestError {
  constructor(resource: QualifiedResource | undefined, name: string, reason: string, options?: { cause?: unknown }) {
    super(
      'Forbidden',
      resource ? `${formatResource(resource)} "${name}" is forbidden: ${reason}` : reason,
      { ...options, ...(resource ? { details: { name, group: resource.group, kind: resource.resource } } : {}) },
    );
  }
}

/** 406 `only the following media types are accepted: ...`. */
export class NotAcceptableError extends RequestError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NotAcceptable', message, options);
  }
}

/** Re-exported so API-level callers find every error class they throw in one module. */
export { BadRequestError };

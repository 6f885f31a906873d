// The one mapping from errors to Kubernetes `Status` bodies (kubectl-wire.md §4). Every layer
// throws typed errors; the HTTP edge calls statusFromError and never matches on message text.
import type { KubeObject } from '../api/object.js';
import { CompactedError, K8tsError } from '../lib/errors.js';
import { ApplyConflictError } from './patch/patch-error.js';
import {
  ExpiredError,
  InvalidError,
  REQUEST_ERROR_CODES,
  RequestError,
  ResourceAlreadyExistsError,
  ResourceConflictError,
  ResourceNotFoundError,
} from './registry/api-errors.js';

interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
}

function status(code: number, reason: string, message: string, details?: StatusDetails, continueToken?: string): { code: number; status: KubeObject } {
  // Key order follows upstream's JSON (kind, apiVersion, metadata, status, message, reason, details, code).
  const body: KubeObject = {
    kind: 'Status',
    apiVersion: 'v1',
    // A Status carries ListMeta; only `continue` is ever set (a 410 on a continued list).
    metadata: (continueToken === undefined ? {} : { continue: continueToken }) as NonNullable<KubeObject['metadata']>,
    status: 'Failure',
    message,
    reason,
  };
  if (details !== undefined) body['details'] = details;
  body['code'] = code;
  return { code, status: body };
}

function resourceDetails(resource: { group: string; resource: string }, name: string): StatusDetails {
  return { name, group: resource.group, kind: resource.resource };
}

/** The HTTP status code and Status body for any thrown value. */
export function statusFromError(error: unknown): { code: number; status: KubeObject } {
  if (error instanceof RequestError) {
    const details: StatusDetails | undefined = error.details ? { ...error.details } : undefined;
    return status(REQUEST_ERROR_CODES[error.reason], error.reason, error.message, details);
  }
  if (error instanceof K8tsError) {
    switch (error.code) {
      case 'NotFound':
        // A path nothing serves carries empty details, as upstream's: kubectl reads
        // `details.name` of a 404 (kubectl debug tells "no such subresource" from "no such pod"
        // that way) and crashes on a Status without details.
        return status(404, 'NotFound', error.message,
          error instanceof ResourceNotFoundError ? resourceDetails(error.qualifiedResource, error.resourceName) : {});
      case 'AlreadyExists':
        return status(409, 'AlreadyExists', error.message,
          error instanceof ResourceAlreadyExistsError ? resourceDetails(error.qualifiedResource, error.resourceName) : undefined);
      case 'Conflict':
        if (error instanceof ApplyConflictError) {
          return status(409, 'Conflict', error.message, {
            causes: error.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: c.message, field: c.field })),
          });
        }
        if (error instanceof ResourceConflictError) {
          return status(409, 'Conflict', error.message, resourceDetails(error.qualifiedResource, error.resourceName));
        }
        return status(409, 'Conflict', error.message);
      case 'Invalid':
        if (error instanceof InvalidError) {
          return status(422, 'Invalid', error.message, {
            name: error.resourceName,
            group: error.qualifiedKind.group,
            kind: error.qualifiedKind.kind,
            causes: error.causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field })),
          });
        }
        return status(422, 'Invalid', error.message);
      case 'BadRequest':
        return status(400, 'BadRequest', error.message);
      case 'Compacted':
        if (error instanceof ExpiredError) return status(410, 'Expired', error.message, undefined, error.continueToken);
        if (error instanceof CompactedError) {
          return status(410, 'Expired', `too old resource version: ${error.requestedRevision} (${error.compactedRevision})`);
        }
        return status(410, 'Expired', error.message);
      case 'Unavailable':
        return status(503, 'ServiceUnavailable', error.message);
    }
  }
  // Anything else is our bug or an unexpected failure: say so without leaking stack traces.
  const message = error instanceof Error ? error.message : String(error);
  return status(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}

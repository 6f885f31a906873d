// Typed errors shared by every layer. Each has a stable `code`; callers branch on the class or
// code, never on message text. The HTTP edge (apiserver) maps them to Kubernetes Status objects.

export type ErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Compacted'
  | 'Unavailable'
  | 'Invalid'
  | 'BadRequest';

export class K8tsError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The key (or object) does not exist. */
export class NotFoundError extends K8tsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NotFound', message, options);
  }
}

/** A create found the key already present. */
export class AlreadyExistsError extends K8tsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('AlreadyExists', message, options);
  }
}

/** A compare-and-swap lost: the stored revision is not the one the writer read. */
export class ConflictError extends K8tsError {
  /** The revision actually stored, when known (lets callers re-read cheaply). */
  readonly currentRevision: number | undefined;
  constructor(message: string, options?: { cause?: unknown; currentRevision?: number }) {
    super('Conflict', message, options);
    this.currentRevision = options?.currentRevision;
  }
}

/** A read or watch asked for a revision that compaction has already removed. */
export class CompactedError extends K8tsError {
  readonly requestedRevision: number;
  readonly compactedRevision: number;
  constructor(requestedRevision: number, compactedRevision: number, options?: { cause?: unknown }) {
    super('Compacted', `revision ${requestedRevision} has been compacted (oldest available is ${compactedRevision + 1})`, options);
    this.requestedRevision = requestedRevision;
    this.compactedRevision = compactedRevision;
  }
}

/** The backend cannot be reached or has been closed; the operation may be retried. */
export class UnavailableError extends K8tsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('Unavailable', message, options);
  }
}

/** The request itself is malformed (bad patch, undecodable body, bad selector...). */
export class BadRequestError extends K8tsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BadRequest', message, options);
  }
}

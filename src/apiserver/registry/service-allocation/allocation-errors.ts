// What a RangeAllocator reports. The service layer turns NotInRange and AlreadyAllocated into
// upstream's 422 field errors; RangeFull stays a plain Error on purpose, because upstream answers
// it with a 500 InternalError (`Internal error occurred: failed to allocate a serviceIP: range is
// full`), which is what the HTTP edge makes of any error that is not a K8tsError.

export class NotInRangeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotInRangeError';
  }
}

export class AlreadyAllocatedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AlreadyAllocatedError';
  }
}

export class RangeFullError extends Error {
  constructor() {
    super('range is full');
    this.name = 'RangeFullError';
  }
}

/** A failed allocation that upstream reports as an internal error (HTTP 500). */
export class AllocationFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AllocationFailedError';
  }
}

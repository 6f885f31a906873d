// Translation of etcd3 client errors into the Store's typed errors. etcd reports compaction only
// through its error text (gRPC OUT_OF_RANGE with a fixed message), so that is matched here, at
// the one place that talks to etcd; everything else that fails is "unavailable".
import { K8tsError, UnavailableError } from '../../lib/errors.js';

const COMPACTED_MESSAGE = 'required revision has been compacted';
const FUTURE_REVISION_MESSAGE = 'required revision is a future revision';

export function isEtcdCompactedError(error: unknown): boolean {
  return error instanceof Error && error.message.includes(COMPACTED_MESSAGE);
}

export function isEtcdFutureRevisionError(error: unknown): boolean {
  return error instanceof Error && error.message.includes(FUTURE_REVISION_MESSAGE);
}

/** Anything unexpected from etcd becomes UnavailableError (callers retry); our own errors pass. */
export function toStoreError(error: unknown, operation: string): K8tsError {
  if (error instanceof K8tsError) return error;
  return new UnavailableError(`etcd ${operation} failed`, { cause: error });
}

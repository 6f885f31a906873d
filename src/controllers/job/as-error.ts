// Rejection reasons are `unknown`; what a reconcile throws must be an Error (the runner logs it).
export function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error('non-Error rejection', { cause: reason });
}

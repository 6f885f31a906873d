// Writes a pass's result through the status subresource without ever overwriting a status the
// pass did not start from.
//
// A pass reads run R (resourceVersion 7), measures for a few seconds, and writes status S'. If the
// run changed meanwhile (a Rollout set spec.terminate: resourceVersion 8), the PUT with 7 gets a
// 409. The writer re-reads: when the stored status is still the one the pass started from (only
// spec or metadata moved), S' is written on top of version 8; otherwise someone else wrote status
// and S' is stale, so it is dropped and the caller measures again from the new state.
import { isDeepStrictEqual } from 'node:util';
import type { AnalysisRunStatus } from '../../api/rollouts/v1alpha1/analysis-run.js';
import type { ResourceClient } from '../../client/resource-client.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import type { AnalysisRunObject } from '../../rollouts/analysis-objects.js';

/** JSON round trip: what the server would store (drops `undefined` fields) for comparisons. */
export function asStored<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? {})) as T;
}

/** True when the two statuses would be stored identically. */
export function sameStatus(a: AnalysisRunStatus | undefined, b: AnalysisRunStatus | undefined): boolean {
  return isDeepStrictEqual(asStored(a ?? {}), asStored(b ?? {}));
}

/**
 * Writes `status` over `run` (the object the pass started from). Returns the stored object, or
 * undefined when the write was dropped (the run is gone, was recreated, or has a newer status).
 */
export async function writeAnalysisRunStatus(
  client: ResourceClient<AnalysisRunObject>,
  run: AnalysisRunObject,
  status: AnalysisRunStatus,
): Promise<AnalysisRunObject | undefined> {
  const namespace = run.metadata?.namespace;
  const name = run.metadata?.name ?? '';
  try {
    return await client.updateStatus(namespace, { ...structuredClone(run), status });
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    if (!(error instanceof ConflictError)) throw error;
  }
  let fresh: AnalysisRunObject;
  try {
    fresh = await client.get(namespace, name);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
  if (fresh.metadata?.uid !== run.metadata?.uid || !sameStatus(fresh.status, run.status)) return undefined;
  // A second conflict is thrown: the caller retries the whole pass with backoff.
  return await client.updateStatus(namespace, { ...fresh, status });
}

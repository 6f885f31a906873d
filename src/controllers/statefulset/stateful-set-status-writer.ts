// Writes a StatefulSet's status through the status subresource, with the resourceVersion read.
// A conflict means the set changed since: re-read it and write the same status again, at most
// five times in all (upstream: RetryOnConflict with DefaultRetry).
import type { StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { ResourceClient } from '../../client/resource-client.js';
import { ConflictError } from '../../lib/errors.js';
import type { StatefulSetObject } from './stateful-set-spec.js';

const MAX_ATTEMPTS = 5;

export async function writeStatefulSetStatus(
  client: ResourceClient<StatefulSetObject>,
  set: StatefulSetObject,
  status: StatefulSetStatus,
): Promise<void> {
  let target = set;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.updateStatus(target.metadata?.namespace, { ...structuredClone(target), status });
      return;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
    const fresh = await client.get(set.metadata?.namespace, set.metadata?.name ?? '');
    if (fresh.metadata?.uid !== set.metadata?.uid) return; // a new set of the same name: not ours to write
    target = fresh;
  }
}

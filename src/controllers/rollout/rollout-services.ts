// Pointing Services at a revision (Argo rollout/service.go): the Rollout adds
// `rollouts-pod-template-hash: <hash>` to the selector of its canary/stable (or active/preview)
// Services and marks them managed-by. A missing Service is a spec problem the user must fix.
import { NotFoundError } from '../../lib/errors.js';
import type { RolloutPass } from './rollout-pass.js';
import { MANAGED_BY_ANNOTATION, ROLLOUT_HASH_LABEL, type ServiceObject } from './rollout-types.js';

export type { ServiceObject };

/** A referenced Service does not exist. */
export class MissingServiceError extends NotFoundError {}

/** The hash a Service selects now (undefined: none yet). */
export async function serviceHash(pass: RolloutPass, name: string): Promise<string | undefined> {
  const svc = await getService(pass, name);
  return svc.spec?.selector?.[ROLLOUT_HASH_LABEL];
}

async function getService(pass: RolloutPass, name: string): Promise<ServiceObject> {
  try {
    return await pass.deps.services.get(pass.namespace, name);
  } catch (error) {
    if (error instanceof NotFoundError) throw new MissingServiceError(`Service "${name}" not found`, { cause: error });
    throw error;
  }
}

/** Makes Service `name` select pods of `hash` (a no-op when it already does). */
export async function pointServiceAt(pass: RolloutPass, name: string, hash: string): Promise<void> {
  const svc = structuredClone(await getService(pass, name));
  const selector = svc.spec?.selector ?? {};
  const managedBy = svc.metadata?.annotations?.[MANAGED_BY_ANNOTATION];
  if (selector[ROLLOUT_HASH_LABEL] === hash && managedBy === pass.name) return;
  (svc.spec ??= {}).selector = { ...selector, [ROLLOUT_HASH_LABEL]: hash };
  (svc.metadata ??= {}).annotations = { ...(svc.metadata.annotations ?? {}), [MANAGED_BY_ANNOTATION]: pass.name };
  await pass.deps.services.update(pass.namespace, svc);
  pass.event('Normal', 'SwitchService', `Switched selector for service '${name}' from '${selector[ROLLOUT_HASH_LABEL] ?? ''}' to '${hash}'`);
}

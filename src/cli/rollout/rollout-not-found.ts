// Turns the API's NotFound for a rollout into a message that names the object and the fix.
import { NotFoundError } from '../../lib/errors.js';

export interface RolloutRef {
  readonly namespace: string;
  readonly name: string;
}

export function rolloutNotFound(ref: RolloutRef, cause: unknown): NotFoundError {
  return new NotFoundError(
    `rollout "${ref.name}" not found in namespace "${ref.namespace}" (list them with: kubectl get rollouts -n ${ref.namespace})`,
    { cause },
  );
}

/** Runs `call`; a NotFoundError becomes rolloutNotFound(ref). */
export async function orRolloutNotFound<T>(ref: RolloutRef, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof NotFoundError) throw rolloutNotFound(ref, error);
    throw error;
  }
}

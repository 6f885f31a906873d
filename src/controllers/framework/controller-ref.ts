// Owner references (upstream: metav1.GetControllerOf, IsControlledBy, NewControllerRef). Every
// comparison goes by uid: a recreated owner with the same name is a different owner.
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';

export type { OwnerReference };

/** Anything with metadata: a WithMetadata or a kubernetes-types object. */
export interface WithMetadata {
  readonly metadata?: ObjectMeta;
}

/** The owner reference with `controller: true`, if any (an object has at most one). */
export function getControllerOf(object: WithMetadata): OwnerReference | undefined {
  return (object.metadata?.ownerReferences ?? []).find((ref) => ref.controller === true);
}

/** Whether `owner` (by uid) is the controller of `object`. */
export function isControlledBy(object: WithMetadata, owner: WithMetadata): boolean {
  const uid = owner.metadata?.uid;
  return uid !== undefined && getControllerOf(object)?.uid === uid;
}

/** The owner references of `object`, or [] when it has none. */
export function ownerReferencesOf(object: WithMetadata): readonly OwnerReference[] {
  return object.metadata?.ownerReferences ?? [];
}

/**
 * A controller reference to `owner` (controller and blockOwnerDeletion both true, as upstream's
 * controllers set them). `apiVersion`/`kind` are passed because cached objects may lack TypeMeta.
 */
export function newControllerRef(owner: WithMetadata, type: { readonly apiVersion: string; readonly kind: string }): OwnerReference {
  return {
    apiVersion: type.apiVersion,
    kind: type.kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

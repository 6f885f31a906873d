// How a pod-owning controller's event handlers find the owners an object belongs to, from the
// informer caches: the owner its controller reference names (by uid, so a deleted and re-created
// namesake is not mistaken for it), or, for an orphan, every owner whose selector matches it (the
// candidates that may adopt it).
import type { KubeObject } from '../../api/object.js';
import { labelSelectorFromObject, matchesLabels, selectsEverything } from '../../api/selectors/label-selector.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { Lister } from '../../client/informer/informer.js';
import type { OwnerReference } from './controller-ref.js';

/** An owner kind that selects its dependents by label. */
export type SelectingOwner = KubeObject & { readonly spec?: { readonly selector?: LabelSelector } };

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/** The cached owner `ref` points at (same kind and group, same uid), if any. */
export function cachedOwner<T extends KubeObject>(
  namespace: string | undefined,
  ref: OwnerReference | undefined,
  ownerType: { readonly apiVersion: string; readonly kind: string },
  owners: Lister<T>,
): T | undefined {
  if (ref?.kind !== ownerType.kind || groupOf(ref.apiVersion) !== groupOf(ownerType.apiVersion)) return undefined;
  const owner = owners.get(namespace, ref.name);
  return owner?.metadata?.uid === ref.uid ? owner : undefined;
}

/** Owners in the object's namespace whose selector matches its labels (an empty or invalid selector matches nothing). */
export function ownersSelecting<T extends SelectingOwner>(object: KubeObject, owners: Lister<T>): T[] {
  const namespace = object.metadata?.namespace;
  return owners.list(namespace === undefined ? {} : { namespace }).filter((owner) => {
    try {
      const selector = labelSelectorFromObject(owner.spec?.selector);
      return !selectsEverything(selector) && matchesLabels(selector, object.metadata?.labels);
    } catch {
      return false;
    }
  });
}

export function sameLabels(a: KubeObject, b: KubeObject): boolean {
  return JSON.stringify(a.metadata?.labels ?? {}) === JSON.stringify(b.metadata?.labels ?? {});
}

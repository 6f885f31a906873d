// gateway.networking.k8s.io/v1 ReferenceGrant (upstream apis/v1/referencegrant_types.go): lets
// objects in other namespaces refer to objects in this one (e.g. an HTTPRoute's backendRef to a
// Service here). See ../README.md for how these files become OpenAPI schemas.
import type { ListMeta, ObjectMeta } from 'kubernetes-types/meta/v1.js';

/** ReferenceGrant allows references from the listed kinds in other namespaces to the listed kinds in this namespace. */
export interface ReferenceGrant {
  /** APIVersion defines the versioned schema of this representation of an object. */
  apiVersion?: 'gateway.networking.k8s.io/v1';
  /** Kind is a string value representing the REST resource this object represents. */
  kind?: 'ReferenceGrant';
  /** Standard object's metadata. */
  metadata?: ObjectMeta;
  /** Spec defines the desired state of ReferenceGrant. */
  spec: ReferenceGrantSpec;
}

/** ReferenceGrantList is a list of ReferenceGrant. */
export interface ReferenceGrantList {
  /** APIVersion defines the versioned schema of this representation of an object. */
  apiVersion?: 'gateway.networking.k8s.io/v1';
  /** Items is the list of ReferenceGrant. */
  items: Array<ReferenceGrant>;
  /** Kind is a string value representing the REST resource this object represents. */
  kind?: 'ReferenceGrantList';
  /** Standard list metadata. */
  metadata?: ListMeta;
}

/** ReferenceGrantSpec lists who may refer (from) to what (to). */
export interface ReferenceGrantSpec {
  /** From are the trusted namespaces and kinds that may refer to objects here (1 to 16). */
  from: Array<ReferenceGrantFrom>;
  /** To are the kinds (and optionally names) here that may be referred to (1 to 16). */
  to: Array<ReferenceGrantTo>;
}

/** ReferenceGrantFrom is a trusted namespace and kind. */
export interface ReferenceGrantFrom {
  /** Group of the referring kind, e.g. "gateway.networking.k8s.io". */
  group: string;
  /** Kind of the referring objects, e.g. "HTTPRoute". */
  kind: string;
  /** Namespace of the referring objects. */
  namespace: string;
}

/** ReferenceGrantTo is a kind (and optionally a name) that may be referred to. */
export interface ReferenceGrantTo {
  /** Group of the referent, e.g. "" for Services. */
  group: string;
  /** Kind of the referent, e.g. "Service". */
  kind: string;
  /** Name of the referent; unset allows every object of the kind. */
  name?: string;
}

// Strategic-merge metadata of the built-in kinds: the `patchMergeKey`/`patchStrategy` struct tags of
// k8s.io/api (and ObjectMeta's in k8s.io/apimachinery), which `kubernetes-types` does not carry.
// The strategic merge patch, server-side apply and the OpenAPI documents
// (`x-kubernetes-patch-merge-key`/`x-kubernetes-patch-strategy`) all read this one table.
//
// Only fields that carry metadata, or lead to fields that do, are listed: an unlisted field is a
// plain map/scalar (maps merge key by key) or an atomic list (replaced whole).
//
// managedFields also read `inZeroValue`: the fields the Go zero value of a kind serialises. Upstream
// records a create as the change from that zero value (structured-merge-diff's Compare), and a map
// or list the write adds is itself owned (`.` beside its children) unless the zero value already
// had it. A zero Deployment serialises as
//   {metadata: {}, spec: {selector: null, template: {metadata: {}, spec: {containers: null}},
//    strategy: {}}, status: {}}
// (non-pointer structs always, even with omitempty; pointers and lists without omitempty as null),
// so `kubectl create deployment` owns f:strategy, f:template and f:containers without `.`, but
// f:labels, f:rollingUpdate and each container item with it. Custom resources (Rollout, Gateway
// API, Argo analysis kinds) are unstructured upstream: their zero value is empty, so f:spec gets `.`.
import type { GroupVersionKind } from './object.js';

export type PatchStrategy = 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';

/** The struct tags of one field. */
export interface PatchMeta {
  /** List items are identified by this field (`name` for containers). */
  readonly mergeKey?: string;
  readonly strategy?: PatchStrategy;
}

/** One field of an object type: its tags plus the type of its value (of its items, for a list). */
export interface FieldMeta extends PatchMeta {
  readonly type?: ObjectType;
  /** `+structType=atomic`: server-side apply owns the value as one unit (e.g. a LabelSelector). */
  readonly atomic?: boolean;
  /**
   * Server-side apply's `x-kubernetes-list-map-keys`, where they are more than the merge key
   * (sorted, as upstream encodes them): a port is `k:{"containerPort":80,"protocol":"TCP"}`.
   */
  readonly listMapKeys?: readonly string[];
  /**
   * The zero value of the enclosing type serialises this field (a non-pointer struct, or a field
   * without omitempty), so it is never added or removed by a write, only its contents are.
   */
  readonly inZeroValue?: boolean;
}

export interface ObjectType {
  readonly fields: Readonly<Record<string, FieldMeta>>;
}

const byName = { mergeKey: 'name', strategy: 'merge' } as const;
const byType = { mergeKey: 'type', strategy: 'merge' } as const;
const byIp = { mergeKey: 'ip', strategy: 'merge' } as const;
const obj = (fields: Record<string, FieldMeta>): ObjectType => ({ fields });
/** Serialised by the zero value (see inZeroValue). */
const zero = { inZeroValue: true } as const;
/** A built-in kind's root: metadata, spec and status are structs, so always serialised. */
const builtIn = (fields: Record<string, FieldMeta>): ObjectType =>
  obj({ metadata: { type: objectMeta, ...zero }, spec: zero, status: zero, ...fields });

const objectMeta = obj({
  ownerReferences: { mergeKey: 'uid', strategy: 'merge' },
  finalizers: { strategy: 'merge' },
});

/** Container and EphemeralContainer share these tags (EphemeralContainerCommon mirrors Container). */
const container = obj({
  ports: { mergeKey: 'containerPort', strategy: 'merge', listMapKeys: ['containerPort', 'protocol'] },
  env: byName,
  volumeMounts: { mergeKey: 'mountPath', strategy: 'merge' },
  volumeDevices: { mergeKey: 'devicePath', strategy: 'merge' },
  resources: zero,
});

const podSpec = obj({
  // Each volume keeps only the source the patch names ($retainKeys): switching emptyDir -> configMap
  // must not leave both behind.
  volumes: { mergeKey: 'name', strategy: 'merge,retainKeys' },
  initContainers: { ...byName, type: container },
  containers: { ...byName, type: container, ...zero },
  ephemeralContainers: { ...byName, type: container },
  imagePullSecrets: byName,
  hostAliases: byIp,
  topologySpreadConstraints: { mergeKey: 'topologyKey', strategy: 'merge', listMapKeys: ['topologyKey', 'whenUnsatisfiable'] },
  schedulingGates: byName,
  resourceClaims: { mergeKey: 'name', strategy: 'merge,retainKeys' },
  // tolerations, readinessGates, affinity terms: no tags, so atomic.
});

const containerStatus = obj({
  volumeMounts: { mergeKey: 'mountPath', strategy: 'merge' },
  allocatedResourcesStatus: byName,
});

const podStatus = obj({
  conditions: byType,
  podIPs: byIp,
  hostIPs: byIp,
  resourceClaimStatuses: { mergeKey: 'name', strategy: 'merge,retainKeys' },
  // containerStatuses lists carry no tags themselves (atomic for SMP); the item type is kept for SSA.
  containerStatuses: { type: containerStatus },
  initContainerStatuses: { type: containerStatus },
  ephemeralContainerStatuses: { type: containerStatus },
});

const podTemplateSpec = obj({ metadata: { type: objectMeta, ...zero }, spec: { type: podSpec, ...zero } });
const labelSelector: FieldMeta = { atomic: true };

const pod = builtIn({ spec: { type: podSpec, ...zero }, status: { type: podStatus, ...zero } });

const deployment = builtIn({
  spec: {
    type: obj({
      selector: { ...labelSelector, ...zero },
      template: { type: podTemplateSpec, ...zero },
      // `kubectl apply` switching RollingUpdate -> Recreate sends $retainKeys so rollingUpdate goes.
      strategy: { strategy: 'retainKeys', ...zero },
    }),
    ...zero,
  },
  status: { type: obj({ conditions: byType }), ...zero },
});

const replicaSet = builtIn({
  spec: { type: obj({ selector: { ...labelSelector, ...zero }, template: { type: podTemplateSpec, ...zero } }), ...zero },
  status: { type: obj({ conditions: byType }), ...zero },
});

/**
 * apps/v1 DaemonSet and StatefulSet carry the same tags. Their updateStrategy has no retainKeys
 * (unlike a Deployment's strategy), so switching to OnDelete by patch leaves rollingUpdate behind,
 * as upstream; a StatefulSet's volumeClaimTemplates is an atomic list. `kubectl rollout undo`
 * sends a revision's `spec.template` with `$patch: replace`, which needs the template typed here.
 */
const daemonOrStatefulSet = builtIn({
  spec: {
    type: obj({
      selector: { ...labelSelector, ...zero },
      template: { type: podTemplateSpec, ...zero },
      updateStrategy: zero,
    }),
    ...zero,
  },
  status: { type: obj({ conditions: byType }), ...zero },
});

/**
 * batch/v1 Job. Its selector is a pointer with omitempty (generated by the server), so unlike a
 * Deployment's it is not in the zero value; the template is a struct and always is.
 */
const jobSpec = obj({ selector: labelSelector, template: { type: podTemplateSpec, ...zero } });
const job = builtIn({
  spec: { type: jobSpec, ...zero },
  // Atomic for server-side apply upstream, merged by type for a strategic merge patch.
  status: { type: obj({ conditions: byType }), ...zero },
});

/** batch/v1 CronJob: its jobTemplate and the Job spec inside are structs, so in the zero value. */
const cronJob = builtIn({
  spec: {
    type: obj({
      jobTemplate: { type: obj({ metadata: { type: objectMeta, ...zero }, spec: { type: jobSpec, ...zero } }), ...zero },
    }),
    ...zero,
  },
});

/**
 * argoproj.io Rollout: its pod template carries the same tags as a Deployment's, which the served
 * OpenAPI advertises, so `kubectl apply` sends a strategic merge patch keyed by container name.
 * A custom resource has no zero-value fields; sharing the template's inZeroValue marks only
 * matters when an update adds a template's metadata or spec where it had none (then no `.`).
 */
const rollout = obj({
  metadata: { type: objectMeta },
  spec: { type: obj({ selector: labelSelector, template: { type: podTemplateSpec } }) },
});

/**
 * autoscaling HorizontalPodAutoscaler: scaleTargetRef is a struct (always in the zero value); its
 * metrics and policies are atomic lists; v2's status conditions merge by type.
 */
const horizontalPodAutoscaler = builtIn({
  spec: { type: obj({ scaleTargetRef: zero }), ...zero },
  status: { type: obj({ conditions: byType }), ...zero },
});

const node = builtIn({
  spec: { type: obj({ podCIDRs: { strategy: 'merge' } }), ...zero },
  status: {
    type: obj({
      conditions: byType, addresses: byType,
      daemonEndpoints: { type: obj({ kubeletEndpoint: zero }), ...zero }, nodeInfo: zero,
    }),
    ...zero,
  },
});

const service = builtIn({
  spec: {
    type: obj({ ports: { mergeKey: 'port', strategy: 'merge', listMapKeys: ['port', 'protocol'] }, selector: { atomic: true } }),
    ...zero,
  },
  status: { type: obj({ conditions: byType, loadBalancer: zero }), ...zero },
});

const namespace = builtIn({ status: { type: obj({ conditions: byType }), ...zero } });
const serviceAccount = obj({ metadata: { type: objectMeta }, secrets: byName });
/** Kinds whose only tagged fields are in ObjectMeta (Endpoints, EndpointSlice and Lease lists are atomic). */
const metadataOnly = obj({ metadata: { type: objectMeta, ...zero } });
/** Built-in kinds with spec and status but no tagged field there (Lease, PodDisruptionBudget). */
const specAndStatus = builtIn({});
const coreEvent = obj({ metadata: { type: objectMeta, ...zero }, involvedObject: zero, source: zero });
const eventsEvent = obj({ metadata: { type: objectMeta, ...zero }, regarding: zero, deprecatedSource: zero });

const rootTypes: ReadonlyMap<string, ObjectType> = new Map([
  ['/v1/Pod', pod],
  ['/v1/Node', node],
  ['/v1/Service', service],
  ['/v1/Endpoints', metadataOnly],
  ['/v1/Namespace', namespace],
  ['/v1/ConfigMap', metadataOnly],
  ['/v1/Secret', metadataOnly],
  ['/v1/ServiceAccount', serviceAccount],
  ['/v1/Event', coreEvent],
  ['apps/v1/Deployment', deployment],
  ['apps/v1/ReplicaSet', replicaSet],
  ['apps/v1/DaemonSet', daemonOrStatefulSet],
  ['apps/v1/StatefulSet', daemonOrStatefulSet],
  // Its data is opaque JSON (a RawExtension): maps merge, lists are replaced.
  ['apps/v1/ControllerRevision', metadataOnly],
  ['batch/v1/Job', job],
  ['batch/v1/CronJob', cronJob],
  ['autoscaling/v2/HorizontalPodAutoscaler', horizontalPodAutoscaler],
  ['autoscaling/v1/HorizontalPodAutoscaler', horizontalPodAutoscaler],
  ['argoproj.io/v1alpha1/Rollout', rollout],
  ['coordination.k8s.io/v1/Lease', specAndStatus],
  ['policy/v1/PodDisruptionBudget', specAndStatus],
  ['events.k8s.io/v1/Event', eventsEvent],
  ['discovery.k8s.io/v1/EndpointSlice', metadataOnly],
]);

/**
 * Every object has ObjectMeta; used for kinds this table does not know (merge-patch semantics
 * elsewhere): custom resources upstream, and built-in kinds with no struct-valued fields
 * (PriorityClass), for which no field is in the zero value that matters.
 */
export const genericObjectType: ObjectType = metadataOnly;

/** The root type of a built-in kind, or undefined for a kind this table does not know. */
export function rootTypeFor(gvk: GroupVersionKind): ObjectType | undefined {
  return rootTypes.get(`${gvk.group}/${gvk.version}/${gvk.kind}`);
}

/** The metadata of `name` inside `type` (undefined: plain field, merge maps / replace lists). */
export function fieldMetaOf(type: ObjectType | undefined, name: string): FieldMeta | undefined {
  return type === undefined || !Object.hasOwn(type.fields, name) ? undefined : type.fields[name];
}

/**
 * The tags of the field at `path` (field names from the root, list indexes omitted), e.g.
 * `['spec','template','spec','containers']` of a Deployment -> `{ mergeKey: 'name', strategy: 'merge' }`.
 * Undefined when the kind is unknown or the field carries no tags.
 */
export function patchMetaFor(gvk: GroupVersionKind, path: readonly string[]): PatchMeta | undefined {
  let type = rootTypeFor(gvk);
  let field: FieldMeta | undefined;
  for (const name of path) {
    field = fieldMetaOf(type, name);
    if (field === undefined) return undefined;
    type = field.type;
  }
  if (field === undefined || (field.mergeKey === undefined && field.strategy === undefined)) return undefined;
  const meta: { mergeKey?: string; strategy?: PatchStrategy } = {};
  if (field.mergeKey !== undefined) meta.mergeKey = field.mergeKey;
  if (field.strategy !== undefined) meta.strategy = field.strategy;
  return meta;
}

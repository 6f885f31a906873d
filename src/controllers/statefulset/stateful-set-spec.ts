// What a StatefulSet asks for, with upstream's API defaults applied, plus the names and labels
// the controller shares with kubectl and the cluster DNS.
//
// The API server defaults these fields before storing a StatefulSet; the controller still reads
// them through here so a set that skipped defaulting (an old object, a test) means the same thing.
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../api/object.js';

export type StatefulSetObject = StatefulSet & KubeObject;

/** What ownerReferences and ControllerRevisions name as the parent kind. */
export const STATEFUL_SET_TYPE = { apiVersion: 'apps/v1', kind: 'StatefulSet' } as const;

/** apps/v1 StatefulSetPodNameLabel: lets a Service select exactly one member. */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** apps/v1 PodIndexLabel (PodIndexLabel is GA in 1.32): the pod's ordinal as a decimal. */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export type UpdateStrategyType = 'RollingUpdate' | 'OnDelete';

export interface ResolvedStatefulSetSpec {
  readonly replicas: number;
  /** `spec.ordinals.start`: the first ordinal; pods are start .. start + replicas - 1. */
  readonly startOrdinal: number;
  /** podManagementPolicy Parallel ("burst"); OrderedReady is the monotonic default. */
  readonly parallel: boolean;
  readonly updateStrategy: UpdateStrategyType;
  /**
   * RollingUpdate only: pods whose index (ordinal - start) is below it keep the current revision.
   * Undefined when `type: RollingUpdate` comes without a rollingUpdate block (the API server
   * leaves it so): the update then goes down to index 0, and see templateForOrdinal.
   * `rollingUpdate.maxUnavailable` is not read: it needs the MaxUnavailableStatefulSet gate, off
   * by default in 1.32, and without it upstream replaces one pod at a time.
   */
  readonly partition: number | undefined;
  readonly revisionHistoryLimit: number;
  readonly minReadySeconds: number;
  readonly serviceName: string;
}

export function resolveSpec(set: StatefulSet): ResolvedStatefulSetSpec {
  const spec = set.spec;
  const updateStrategy: UpdateStrategyType = spec?.updateStrategy?.type === 'OnDelete' ? 'OnDelete' : 'RollingUpdate';
  return {
    replicas: spec?.replicas ?? 1,
    startOrdinal: spec?.ordinals?.start ?? 0,
    parallel: spec?.podManagementPolicy === 'Parallel',
    updateStrategy,
    partition: updateStrategy === 'RollingUpdate' ? rollingUpdatePartition(set) : 0,
    revisionHistoryLimit: spec?.revisionHistoryLimit ?? 10,
    minReadySeconds: spec?.minReadySeconds ?? 0,
    serviceName: spec?.serviceName ?? '',
  };
}

/** An unset strategy type defaults to RollingUpdate with a partition of 0; an explicit one gets no block. */
function rollingUpdatePartition(set: StatefulSet): number | undefined {
  const strategy = set.spec?.updateStrategy;
  if (strategy?.rollingUpdate !== undefined) return strategy.rollingUpdate.partition ?? 0;
  return strategy?.type === undefined ? 0 : undefined;
}

// The API objects the rollout CLI reads, as KubeObjects so ResourceClient accepts them.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { AnalysisRun, Rollout } from '../../api/rollouts/index.js';

export type RolloutObject = Rollout & KubeObject;
export type ReplicaSetObject = ReplicaSet & KubeObject;
export type PodObject = Pod & KubeObject;
export type AnalysisRunObject = AnalysisRun & KubeObject;

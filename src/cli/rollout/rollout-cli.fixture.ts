// Objects for the rollout CLI's tests: a canary Rollout `demo` (3 replicas, steps setWeight 20,
// pause, setWeight 50, pause) half way through an update from revision 1 (hash `aaa`, stable) to
// revision 2 (hash `bbb`, canary), with pods and a step AnalysisRun.
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { AnalysisRunObject, PodObject, ReplicaSetObject, RolloutObject } from './cli-object-types.js';

export const CREATED = '2025-01-01T00:00:00Z';
export const NOW = new Date('2025-01-01T00:05:00Z');

const owner = (kind: string, name: string, uid: string): OwnerReference => ({
  apiVersion: kind === 'Rollout' ? 'argoproj.io/v1alpha1' : 'apps/v1', kind, name, uid, controller: true,
});

export function canaryRollout(status: NonNullable<RolloutObject['status']> = {}): RolloutObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'demo', namespace: 'default', uid: 'ro-uid', generation: 2, creationTimestamp: CREATED },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'demo' } },
      template: { metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'web', image: 'web:v2' }] } },
      strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: {} }] } },
    },
    status: {
      observedGeneration: '2',
      phase: 'Paused',
      message: 'CanaryPauseStep',
      currentPodHash: 'bbb',
      stableRS: 'aaa',
      currentStepIndex: 1,
      controllerPause: true,
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2025-01-01T00:04:00Z' }],
      replicas: 4,
      updatedReplicas: 1,
      readyReplicas: 4,
      availableReplicas: 4,
      ...status,
    },
  };
}

export function replicaSet(hash: string, revision: number, replicas: number, image: string): ReplicaSetObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `demo-${hash}`, namespace: 'default', uid: `rs-${hash}`, generation: 1, creationTimestamp: CREATED,
      labels: { app: 'demo', 'rollouts-pod-template-hash': hash },
      annotations: { 'rollout.argoproj.io/revision': String(revision) },
      ownerReferences: [owner('Rollout', 'demo', 'ro-uid')],
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'demo', 'rollouts-pod-template-hash': hash } },
      template: {
        metadata: { labels: { app: 'demo', 'rollouts-pod-template-hash': hash } },
        spec: { containers: [{ name: 'web', image }] },
      },
    },
    status: { replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: 1 },
  };
}

export function runningPod(hash: string, suffix: string, restarts = 0): PodObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `demo-${hash}-${suffix}`, namespace: 'default', uid: `pod-${hash}-${suffix}`, creationTimestamp: '2025-01-01T00:03:00Z',
      labels: { app: 'demo', 'rollouts-pod-template-hash': hash },
      ownerReferences: [owner('ReplicaSet', `demo-${hash}`, `rs-${hash}`)],
    },
    spec: { containers: [{ name: 'web', image: 'web' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        { name: 'web', image: 'web', imageID: '', ready: true, restartCount: restarts, state: { running: { startedAt: CREATED } } },
      ],
    },
  };
}

export function analysisRun(name: string, revision: number, phase: 'Running' | 'Successful' | 'Failed', counts: { successful: number; failed: number }): AnalysisRunObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name, namespace: 'default', uid: `ar-${name}`, creationTimestamp: '2025-01-01T00:04:30Z',
      annotations: { 'rollout.argoproj.io/revision': String(revision) },
      ownerReferences: [owner('Rollout', 'demo', 'ro-uid')],
    },
    spec: { metrics: [{ name: 'success-rate', provider: { web: { url: 'http://x' } } }] },
    status: { phase, metricResults: [{ name: 'success-rate', phase, ...counts }] },
  };
}

// k8s.io.api.apps.v1 Deployment (what `kubectl create deployment` sends).
import {
  KEEP, bool, int32, int64, intOrString, list, message, string, sub, time,
  type MessageDescriptor,
} from './message-descriptor.js';
import { podTemplateSpec } from './core-v1-pod.js';
import { labelSelector, objectMeta } from './meta-v1.js';

const P = 'k8s.io.api.apps.v1';

const rollingUpdateDeployment = message(`${P}.RollingUpdateDeployment`, {
  1: intOrString('maxUnavailable', KEEP),
  2: intOrString('maxSurge', KEEP),
});

const deploymentStrategy = message(`${P}.DeploymentStrategy`, {
  1: string('type'),
  2: sub('rollingUpdate', () => rollingUpdateDeployment),
});

const deploymentSpec = message(`${P}.DeploymentSpec`, {
  1: int32('replicas', KEEP),
  2: sub('selector', () => labelSelector),
  3: sub('template', () => podTemplateSpec),
  4: sub('strategy', () => deploymentStrategy),
  5: int32('minReadySeconds'),
  6: int32('revisionHistoryLimit', KEEP),
  7: bool('paused'),
  9: int32('progressDeadlineSeconds', KEEP),
});

const deploymentCondition = message(`${P}.DeploymentCondition`, {
  1: string('type', KEEP),
  2: string('status', KEEP),
  6: time('lastUpdateTime'),
  7: time('lastTransitionTime'),
  4: string('reason'),
  5: string('message'),
});

const deploymentStatus = message(`${P}.DeploymentStatus`, {
  1: int64('observedGeneration'),
  2: int32('replicas'),
  3: int32('updatedReplicas'),
  7: int32('readyReplicas'),
  4: int32('availableReplicas'),
  5: int32('unavailableReplicas'),
  6: list('conditions', () => deploymentCondition),
  8: int32('collisionCount', KEEP),
});

export const deployment: MessageDescriptor = message(`${P}.Deployment`, {
  1: sub('metadata', () => objectMeta),
  2: sub('spec', () => deploymentSpec),
  3: sub('status', () => deploymentStatus),
});

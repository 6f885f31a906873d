// k8s.io.api.policy.v1 PodDisruptionBudget (what `kubectl create pdb` sends) and Eviction (what
// `kubectl drain` POSTs to pods/eviction). Status is decoded without disruptedPods (a map of
// Times, which clients never send on create).
import { KEEP, bool, int32, int64, intOrString, list, message, string, strings, sub, type MessageDescriptor } from './message-descriptor.js';
import { condition, labelSelector, objectMeta } from './meta-v1.js';

const P = 'k8s.io.api.policy.v1';
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

const podDisruptionBudgetSpec = message(`${P}.PodDisruptionBudgetSpec`, {
  1: intOrString('minAvailable', KEEP),
  2: sub('selector', () => labelSelector),
  3: intOrString('maxUnavailable', KEEP),
  4: string('unhealthyPodEvictionPolicy', KEEP),
});

const podDisruptionBudgetStatus = message(`${P}.PodDisruptionBudgetStatus`, {
  1: int64('observedGeneration'),
  3: int32('disruptionsAllowed', KEEP),
  4: int32('currentHealthy', KEEP),
  5: int32('desiredHealthy', KEEP),
  6: int32('expectedPods', KEEP),
  7: list('conditions', () => condition),
});

export const podDisruptionBudget: MessageDescriptor = message(`${P}.PodDisruptionBudget`, {
  1: sub('metadata', () => objectMeta),
  2: sub('spec', () => podDisruptionBudgetSpec),
  3: sub('status', () => podDisruptionBudgetStatus),
});

const preconditions = message(`${META}.Preconditions`, {
  1: string('uid', KEEP),
  2: string('resourceVersion', KEEP),
});

const deleteOptions = message(`${META}.DeleteOptions`, {
  1: int64('gracePeriodSeconds', KEEP),
  2: sub('preconditions', () => preconditions),
  3: bool('orphanDependents', KEEP),
  4: string('propagationPolicy', KEEP),
  5: strings('dryRun'),
});

export const eviction: MessageDescriptor = message(`${P}.Eviction`, {
  1: sub('metadata', () => objectMeta),
  2: sub('deleteOptions', () => deleteOptions),
});

// Which (apiVersion, kind) pairs we can decode from protobuf, and their message descriptors.
import { deployment } from './apps-v1.js';
import { selfSubjectReview, tokenRequest } from './authentication-v1.js';
import { selfSubjectAccessReview, selfSubjectRulesReview } from './authorization-v1.js';
import { horizontalPodAutoscalerV1 } from './autoscaling-v1.js';
import { cronJob, job } from './batch-v1.js';
import { configMap, namespace, pod, secret, service, serviceAccount } from './core-v1.js';
import type { MessageDescriptor } from './message-descriptor.js';
import { eviction, podDisruptionBudget } from './policy-v1.js';
import { priorityClass } from './scheduling-v1.js';

const KINDS: ReadonlyMap<string, MessageDescriptor> = new Map([
  ['apps/v1 Deployment', deployment],
  ['batch/v1 Job', job],
  ['batch/v1 CronJob', cronJob],
  ['autoscaling/v1 HorizontalPodAutoscaler', horizontalPodAutoscalerV1],
  ['v1 Namespace', namespace],
  ['v1 ConfigMap', configMap],
  ['v1 Secret', secret],
  ['v1 Service', service],
  ['v1 ServiceAccount', serviceAccount],
  ['v1 Pod', pod],
  ['policy/v1 PodDisruptionBudget', podDisruptionBudget],
  // pods/eviction takes both versions, as upstream still does; the messages are the same.
  ['policy/v1 Eviction', eviction],
  ['policy/v1beta1 Eviction', eviction],
  ['scheduling.k8s.io/v1 PriorityClass', priorityClass],
  ['authorization.k8s.io/v1 SelfSubjectAccessReview', selfSubjectAccessReview],
  ['authorization.k8s.io/v1 SelfSubjectRulesReview', selfSubjectRulesReview],
  ['authentication.k8s.io/v1 SelfSubjectReview', selfSubjectReview],
  ['authentication.k8s.io/v1 TokenRequest', tokenRequest],
]);

/** The descriptor for an object's top-level message, or undefined when we cannot decode it. */
export function descriptorForKind(apiVersion: string, kind: string): MessageDescriptor | undefined {
  return KINDS.get(`${apiVersion} ${kind}`);
}

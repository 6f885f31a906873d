// spec.podFailurePolicy: what a failed pod means for its Job (upstream: pod_failure_policy.go).
// Rules are tried in order; the first whose requirement the pod meets decides:
//   FailJob   - the Job fails at once (reason PodFailurePolicy, with the message below);
//   Ignore    - the failure does not count against backoffLimit (the pod is replaced);
//   Count     - the failure counts, as with no policy;
//   FailIndex - (backoffLimitPerIndex) the pod's index fails at once.
// A pod no rule matches counts as a failure.
import type { PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement, PodFailurePolicyOnPodConditionsPattern } from 'kubernetes-types/batch/v1.js';
import type { ContainerStatus, PodCondition } from 'kubernetes-types/core/v1.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';

export type PodFailurePolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

export interface PodFailurePolicyMatch {
  /** Set when a FailJob rule matched: the Job's failure message. */
  readonly failJobMessage?: string;
  /** Whether the failure counts against backoffLimit (false only for Ignore). */
  readonly countFailed: boolean;
  /** The action of the rule that matched, if any. */
  readonly action?: PodFailurePolicyAction;
}

const NO_MATCH: PodFailurePolicyMatch = { countFailed: true };

export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: Pod): PodFailurePolicyMatch {
  if (policy === undefined) return NO_MATCH;
  const podName = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
  for (const [index, rule] of policy.rules.entries()) {
    if (rule.onExitCodes !== undefined) {
      const container = matchOnExitCodes(pod, rule.onExitCodes);
      if (container === undefined) continue;
      const exitCode = container.state?.terminated?.exitCode ?? 0;
      const match = actionMatch(rule.action, () =>
        `Container ${container.name} for pod ${podName} failed with exit code ${exitCode} matching ${rule.action} rule at index ${index}`);
      if (match !== undefined) return match;
    } else if (rule.onPodConditions !== undefined) {
      const condition = matchOnPodConditions(pod, rule.onPodConditions);
      if (condition === undefined) continue;
      const match = actionMatch(rule.action, () =>
        `Pod ${podName} has condition ${condition.type} matching ${rule.action} rule at index ${index}`);
      if (match !== undefined) return match;
    }
  }
  return NO_MATCH;
}

/** The outcome of a matched rule; undefined for an action this version does not know (try the next rule). */
function actionMatch(action: string, failJobMessage: () => string): PodFailurePolicyMatch | undefined {
  switch (action) {
    case 'Ignore':
      return { countFailed: false, action: 'Ignore' };
    case 'Count':
      return { countFailed: true, action: 'Count' };
    case 'FailIndex':
      return { countFailed: true, action: 'FailIndex' };
    case 'FailJob':
      return { failJobMessage: failJobMessage(), countFailed: true, action: 'FailJob' };
    default:
      return undefined;
  }
}

/** A terminated container (app containers first, then init) whose non-zero exit code the requirement matches. */
function matchOnExitCodes(pod: Pod, requirement: PodFailurePolicyOnExitCodesRequirement): ContainerStatus | undefined {
  return matchingContainer(pod.status?.containerStatuses, requirement) ?? matchingContainer(pod.status?.initContainerStatuses, requirement);
}

function matchingContainer(statuses: readonly ContainerStatus[] | undefined, requirement: PodFailurePolicyOnExitCodesRequirement): ContainerStatus | undefined {
  return (statuses ?? []).find((status) => {
    const exitCode = status.state?.terminated?.exitCode;
    if (exitCode === undefined || exitCode === 0) return false;
    if (requirement.containerName !== undefined && requirement.containerName !== status.name) return false;
    if (requirement.operator === 'In') return requirement.values.includes(exitCode);
    if (requirement.operator === 'NotIn') return !requirement.values.includes(exitCode);
    return false;
  });
}

function matchOnPodConditions(pod: Pod, patterns: readonly PodFailurePolicyOnPodConditionsPattern[]): PodCondition | undefined {
  return (pod.status?.conditions ?? []).find((condition) => patterns.some((p) => p.type === condition.type && p.status === condition.status));
}

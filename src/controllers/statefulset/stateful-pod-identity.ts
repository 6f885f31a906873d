// A StatefulSet pod's identity is its name, `<set>-<ordinal>`: the controller finds a member's slot
// by parsing the name, never by a label, so a pod deleted and recreated is the same member.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { POD_INDEX_LABEL, POD_NAME_LABEL, type StatefulSetObject } from './stateful-set-spec.js';

/** Upstream's statefulPodRegex: the longest prefix, a dash, then decimal digits at the end. */
const STATEFUL_POD_NAME = /^(.*)-([0-9]+)$/;
const MAX_INT32 = 2 ** 31 - 1;

export interface ParsedPodName {
  readonly parent: string;
  /** -1 when the digits do not fit an int32 (upstream's ParseInt(..., 32) fails): no slot. */
  readonly ordinal: number;
}

/** `web-12` -> { parent: 'web', ordinal: 12 }; `web` -> undefined. */
export function parsePodName(name: string | undefined): ParsedPodName | undefined {
  const match = STATEFUL_POD_NAME.exec(name ?? '');
  if (match === null) return undefined;
  const ordinal = Number(match[2]);
  return { parent: match[1] ?? '', ordinal: ordinal <= MAX_INT32 ? ordinal : -1 };
}

/** The pod's ordinal, or -1 when its name carries none. */
export function ordinalOf(pod: Pod): number {
  return parsePodName(pod.metadata?.name)?.ordinal ?? -1;
}

export function statefulPodName(set: StatefulSetObject, ordinal: number): string {
  return `${set.metadata?.name ?? ''}-${ordinal}`;
}

/** Whether the pod's name makes it one of `set`'s members (upstream: isMemberOf). */
export function isMemberOf(set: StatefulSetObject, pod: Pod): boolean {
  return parsePodName(pod.metadata?.name)?.parent === set.metadata?.name;
}

/** The labels that carry a member's identity: its name (for per-pod Services) and its index. */
export function identityLabels(set: StatefulSetObject, ordinal: number): Record<string, string> {
  return { [POD_NAME_LABEL]: statefulPodName(set, ordinal), [POD_INDEX_LABEL]: String(ordinal) };
}

/**
 * Upstream's identityMatches as of 1.32: parent name, namespace and the pod-name label. The hostname
 * and subdomain are not compared: they are set once at creation and a pod's spec.hostname and
 * spec.subdomain cannot be changed by an update (upstream stopped "fixing" them for that reason).
 * The pod-index label is written with the pod-name label but not checked, as upstream. Upstream
 * also compares the name with its canonical form (`web-007` is not `web-7`) and then tries to
 * rename the pod, which the API refuses; such a pod is left as it is here.
 */
export function identityMatches(set: StatefulSetObject, pod: Pod): boolean {
  const parsed = parsePodName(pod.metadata?.name);
  return parsed !== undefined
    && parsed.ordinal >= 0
    && parsed.parent === set.metadata?.name
    && pod.metadata?.namespace === set.metadata?.namespace
    && pod.metadata?.labels?.[POD_NAME_LABEL] === pod.metadata?.name;
}

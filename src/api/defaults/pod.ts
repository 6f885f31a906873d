// core/v1 Pod defaults (SetDefaults_Pod), and apart from them what two default admission plugins
// add: upstream runs admission after recording the write's managedFields, so the writer of a pod
// owns its defaults but not its service account or default tolerations.
import type { KubeObject } from '../object.js';
import { ensureRecord, isRecord, recordsOf, stringOf, type JsonRecord } from '../validation/json-access.js';
import { defaultPodSpec } from './pod-spec.js';

/** Upstream's DefaultTolerationSeconds admission plugin default: 300 s. */
export const DEFAULT_TOLERATION_SECONDS = 300;

/** Requests default to limits for every limited resource without a request (Pods only, not templates). */
function defaultRequestsFromLimits(container: JsonRecord): void {
  const resources = ensureRecord(container, 'resources');
  if (!isRecord(resources.limits)) return;
  const requests = ensureRecord(resources, 'requests');
  for (const [name, value] of Object.entries(resources.limits)) if (!Object.hasOwn(requests, name)) requests[name] = value;
}

/** With hostNetwork the container port is the host port. */
function defaultHostNetworkPorts(container: JsonRecord): void {
  for (const port of recordsOf(container.ports)) if (port.hostPort === undefined || port.hostPort === 0) port.hostPort = port.containerPort;
}

/**
 * Admission plugin DefaultTolerationSeconds (not API defaulting upstream, but enabled by default
 * and visible on every pod): tolerate not-ready and unreachable nodes for 300 s, which is what
 * evicts pods from a failed node after five minutes. Skipped when the pod already tolerates the
 * taint (an empty key or effect matches everything).
 */
function addDefaultTolerations(spec: JsonRecord): void {
  const tolerations = recordsOf(spec.tolerations);
  const tolerates = (key: string): boolean =>
    tolerations.some((t) => (t.key === key || stringOf(t.key) === '') && (t.effect === 'NoExecute' || stringOf(t.effect) === ''));
  const added: JsonRecord[] = [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'])
    if (!tolerates(key)) added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
  if (added.length > 0) spec.tolerations = [...(Array.isArray(spec.tolerations) ? spec.tolerations : []), ...added];
}

export function defaultPod(obj: KubeObject): void {
  const spec = ensureRecord(obj, 'spec');
  defaultPodSpec(spec);
  for (const key of ['containers', 'initContainers']) for (const c of recordsOf(spec[key])) defaultRequestsFromLimits(c);
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) for (const key of ['containers', 'initContainers']) for (const c of recordsOf(spec[key])) defaultHostNetworkPorts(c);
  // Not done here: priority (Priority admission), status.phase and qosClass (the registry's
  // prepareForCreate, see computeQosClass in ../pod-qos.ts).
}

/** The two default admission plugins above, for the registry to run after defaultPod. */
export function admitPod(obj: KubeObject): void {
  const spec = ensureRecord(obj, 'spec');
  // Admission plugin ServiceAccount: pods run as the namespace's `default` service account.
  // (Its token volume is not added; k8ts has no token controller yet.)
  if (stringOf(spec.serviceAccountName) === '') {
    spec.serviceAccountName = 'default';
    spec.serviceAccount = 'default';
  }
  addDefaultTolerations(spec);
}

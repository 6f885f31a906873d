// The pod status the agent reports, computed purely from the pod and what the agent observed in
// the runtime (upstream kubelet's generateAPIPodStatus / getPhase / the status conditions).
import type { ContainerState, ContainerStatus, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import type { PodObject } from './object-types.js';
import { anyAppContainerStarted, computePhase } from './pod-phase.js';
import { isSidecar } from './sidecar-plan.js';

export { computePhase, type PodPhase } from './pod-phase.js';

/** One runtime container attempt, as the status needs it. */
export interface ContainerAttemptView {
  readonly id: string;
  readonly state: 'created' | 'running' | 'exited' | 'unknown';
  readonly startedAt?: Date;
  readonly finishedAt?: Date;
  readonly exitCode?: number;
  readonly reason?: string;
  readonly message?: string;
}

export interface ContainerObservation {
  readonly name: string;
  /** The image the spec asks for. */
  readonly image: string;
  readonly imageId?: string;
  /** The newest attempt in the runtime. */
  readonly current?: ContainerAttemptView;
  /** The attempt before it (`lastState`). */
  readonly previous?: ContainerAttemptView;
  /** Set when the agent holds the container back: CrashLoopBackOff, CreateContainerConfigError, ... */
  readonly waiting?: { readonly reason: string; readonly message?: string };
  readonly restartCount: number;
  readonly ready: boolean;
  readonly started: boolean;
}

export interface PodStatusInput {
  readonly pod: PodObject;
  readonly now: Date;
  readonly runtimeName: string;
  readonly hostIP: string;
  readonly podIP?: string;
  readonly sandboxReady: boolean;
  readonly initContainers: readonly ContainerObservation[];
  readonly containers: readonly ContainerObservation[];
  /** The pod is being torn down: whatever stopped stays stopped (upstream's podIsTerminal). */
  readonly terminating: boolean;
}

/** metav1.Time: RFC 3339 at second precision. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function terminatedReason(view: ContainerAttemptView): string {
  return view.reason ?? (view.exitCode === 0 ? 'Completed' : 'Error');
}

function terminatedState(view: ContainerAttemptView, runtimeName: string): ContainerState {
  return {
    terminated: {
      exitCode: view.exitCode ?? 0,
      reason: terminatedReason(view),
      ...(view.message ? { message: view.message } : {}),
      ...(view.startedAt ? { startedAt: formatTime(view.startedAt) } : {}),
      ...(view.finishedAt ? { finishedAt: formatTime(view.finishedAt) } : {}),
      containerID: `${runtimeName}://${view.id}`,
    },
  };
}

function containerStatus(obs: ContainerObservation, defaultWaiting: string, runtimeName: string): ContainerStatus {
  const { current, previous } = obs;
  let state: ContainerState;
  let last: ContainerAttemptView | undefined = previous?.state === 'exited' ? previous : undefined;
  if (obs.waiting) {
    state = { waiting: { reason: obs.waiting.reason, ...(obs.waiting.message ? { message: obs.waiting.message } : {}) } };
    if (current?.state === 'exited') last = current;
  } else if (current?.state === 'running') {
    state = { running: { ...(current.startedAt ? { startedAt: formatTime(current.startedAt) } : {}) } };
  } else if (current?.state === 'exited') {
    state = terminatedState(current, runtimeName);
  } else {
    state = { waiting: { reason: current ? 'ContainerCreating' : defaultWaiting } };
  }
  return {
    name: obs.name,
    state,
    lastState: last ? terminatedState(last, runtimeName) : {},
    ready: obs.ready,
    restartCount: obs.restartCount,
    image: obs.image,
    imageID: obs.imageId ?? '',
    ...(current ? { containerID: `${runtimeName}://${current.id}` } : {}),
    started: obs.started,
  };
}

function condition(type: string, ok: boolean, reason?: string, message?: string): PodCondition {
  return { type, status: ok ? 'True' : 'False', ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

function unreadyMessage(names: readonly string[]): string {
  return `containers with unready status: [${names.join(' ')}]`;
}

function kubeletConditions(input: PodStatusInput, init: readonly ContainerStatus[], app: readonly ContainerStatus[], phase: string): PodCondition[] {
  const sidecars = new Set((input.pod.spec?.initContainers ?? []).filter(isSidecar).map((c) => c.name));
  // A sidecar is complete once started; it counts in readiness like an app container (listed first).
  const incomplete = init
    .filter((s) => (sidecars.has(s.name) ? s.started !== true : s.state?.terminated?.exitCode !== 0))
    .map((s) => s.name);
  const unready = [...init.filter((s) => sidecars.has(s.name)), ...app].filter((s) => !s.ready).map((s) => s.name);
  const initialized = phase === 'Succeeded'
    ? condition('Initialized', true, 'PodCompleted')
    : incomplete.length === 0 || anyAppContainerStarted(app)
      ? condition('Initialized', true)
      : condition('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: [${incomplete.join(' ')}]`);
  let containersReady: PodCondition;
  let ready: PodCondition;
  if (phase === 'Succeeded' || phase === 'Failed') {
    const reason = phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed';
    containersReady = condition('ContainersReady', false, reason);
    ready = condition('Ready', false, reason);
  } else if (unready.length > 0) {
    containersReady = condition('ContainersReady', false, 'ContainersNotReady', unreadyMessage(unready));
    ready = condition('Ready', false, 'ContainersNotReady', unreadyMessage(unready));
  } else {
    containersReady = condition('ContainersReady', true);
    ready = readinessGatesCondition(input.pod) ?? condition('Ready', true);
  }
  return [condition('PodReadyToStartContainers', input.sandboxReady), initialized, ready, containersReady];
}

/** Upstream: every readiness gate's condition must be True for the pod to be Ready. */
function readinessGatesCondition(pod: PodObject): PodCondition | undefined {
  for (const gate of pod.spec?.readinessGates ?? []) {
    const found = pod.status?.conditions?.find((c) => c.type === gate.conditionType);
    if (!found) return condition('Ready', false, 'ReadinessGatesNotReady', `corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    if (found.status !== 'True') return condition('Ready', false, 'ReadinessGatesNotReady', `the status of pod readiness gate "${gate.conditionType}" is not "True", but ${found.status}`);
  }
  return undefined;
}

/** Keeps lastTransitionTime when a condition's status did not change. */
function withTransitionTimes(next: PodCondition[], old: readonly PodCondition[], now: Date): PodCondition[] {
  return next.map((c) => {
    const before = old.find((o) => o.type === c.type);
    const lastTransitionTime = before && before.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : formatTime(now);
    return { type: c.type, status: c.status, lastTransitionTime, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) };
  });
}

const KUBELET_CONDITIONS = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);

export function computePodStatus(input: PodStatusInput): PodStatus {
  const { pod, now, runtimeName } = input;
  const old = pod.status ?? {};
  const hasInit = (pod.spec?.initContainers ?? []).length > 0;
  const defaultWaiting = hasInit ? 'PodInitializing' : 'ContainerCreating';
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter(isSidecar).map((c) => c.name));
  const init = input.initContainers.map((o) => {
    const status = containerStatus(o, defaultWaiting, runtimeName);
    // A sidecar is ready by its readiness probe; upstream marks a completed init container ready.
    if (sidecars.has(o.name)) return status;
    return { ...status, ready: status.state?.terminated?.exitCode === 0 };
  });
  const app = input.containers.map((o) => containerStatus(o, defaultWaiting, runtimeName));
  let phase: string = computePhase(pod, init, app, input.terminating);
  // A pod never leaves a terminal phase.
  if (old.phase === 'Succeeded' || old.phase === 'Failed') phase = old.phase;
  const oldConditions = old.conditions ?? [];
  const kept = oldConditions.filter((c) => !KUBELET_CONDITIONS.has(c.type));
  if (!kept.some((c) => c.type === 'PodScheduled')) kept.push({ type: 'PodScheduled', status: 'True', lastTransitionTime: formatTime(now) });
  const conditions = [...withTransitionTimes(kubeletConditions(input, init, app, phase), oldConditions, now), ...kept];
  const status: PodStatus = {
    ...(old.reason ? { reason: old.reason } : {}),
    ...(old.message ? { message: old.message } : {}),
    phase,
    conditions,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    ...(input.podIP ? { podIP: input.podIP, podIPs: [{ ip: input.podIP }] } : {}),
    startTime: old.startTime ?? formatTime(now),
    ...(hasInit ? { initContainerStatuses: init } : {}),
    containerStatuses: app,
    ...(old.qosClass ? { qosClass: old.qosClass } : {}),
    // Not ours: upstream mergePodStatus carries the resource claim controller's entries over.
    ...(old.resourceClaimStatuses ? { resourceClaimStatuses: old.resourceClaimStatuses } : {}),
  };
  // Deliberately not kept, as upstream: nominatedNodeName (kubelet's status patch is a two-way diff
  // from the API status to one that never has it, so it clears it) and resize (kubelet-owned; we
  // do no in-place resize, like upstream with InPlacePodVerticalScaling off).
  return status;
}

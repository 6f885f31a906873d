// `kubectl get pods`: NAME READY STATUS RESTARTS AGE | IP NODE NOMINATED NODE READINESS GATES.
// STATUS and RESTARTS follow upstream's printPod step by step, because users read pod health from
// exactly these words (`Init:0/1`, `CrashLoopBackOff`, `Completed`, `Terminating`, ...).
import type { Container, ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { parseTimestamp, translateTimestampSince } from './age.js';
import { ageColumn, nameColumn, tableColumn, wideColumn } from './table-column.js';

/** The pod status reason the node lifecycle controller sets on pods of an unreachable node. */
const NODE_UNREACHABLE_REASON = 'NodeLost';

export interface PodSummary {
  /** `1/2`: ready containers / containers (restartable init containers count as containers). */
  readonly ready: string;
  readonly status: string;
  /** `0`, or `3 (2m ago)` when the last restart time is known. */
  readonly restarts: string;
}

const isRestartableInit = (container: Container | undefined): boolean => container?.restartPolicy === 'Always';

const hasCondition = (conditions: readonly PodCondition[] | undefined, type: string): boolean =>
  (conditions ?? []).some((c) => c.type === type && c.status === 'True');

/** Remembers the latest `lastState.terminated.finishedAt` seen (the time of the last restart). */
class LastRestart {
  ms: number | undefined;
  note(status: ContainerStatus): void {
    const finished = parseTimestamp(status.lastState?.terminated?.finishedAt);
    if (finished !== undefined && (this.ms === undefined || finished > this.ms)) this.ms = finished;
  }
}

/** READY, STATUS and RESTARTS of a pod, computed as upstream's printPod does. */
export function summarizePod(pod: Pod, now: Date): PodSummary {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const initSpecs = spec?.initContainers ?? [];
  let totalContainers = (spec?.containers ?? []).length;
  let readyContainers = 0;
  let restarts = 0;
  let restartableInitRestarts = 0;
  let lastRestart = new LastRestart();
  const lastRestartableInitRestart = new LastRestart();

  let reason = status.reason || status.phase || '';
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }

  const initByName = new Map<string, Container>();
  for (const c of initSpecs) {
    initByName.set(c.name, c);
    if (isRestartableInit(c)) totalContainers++;
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (const [i, container] of initStatuses.entries()) {
    restarts += container.restartCount ?? 0;
    lastRestart.note(container);
    const restartable = isRestartableInit(initByName.get(container.name));
    if (restartable) {
      restartableInitRestarts += container.restartCount ?? 0;
      lastRestartableInitRestart.note(container);
    }
    const terminated = container.state?.terminated;
    const waiting = container.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (restartable && container.started === true) {
      if (container.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      if (!terminated.reason) {
        reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode}`;
      } else {
        reason = `Init:${terminated.reason}`;
      }
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(status.conditions, 'Initialized')) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    // Backwards, so the first container's state wins, as upstream does.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i];
      if (!container) continue;
      restarts += container.restartCount ?? 0;
      lastRestart.note(container);
      const waiting = container.state?.waiting;
      const terminated = container.state?.terminated;
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (terminated?.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      } else if (container.ready && container.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A finished container beside one still running does not make the pod "Completed".
    if (reason === 'Completed' && hasRunning) {
      reason = hasCondition(status.conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  const deleting = Boolean(pod.metadata?.deletionTimestamp);
  if (deleting && status.reason === NODE_UNREACHABLE_REASON) {
    reason = 'Unknown';
  } else if (deleting && status.phase !== 'Succeeded' && status.phase !== 'Failed') {
    reason = 'Terminating';
  }

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart.ms !== undefined) {
    restartsText = `${restarts} (${translateTimestampSince(new Date(lastRestart.ms).toISOString(), now)} ago)`;
  }
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsText };
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const passing = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${passing}/${gates.length}`;
}

export const podTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    tableColumn('Status', 'The aggregate status of the containers in this pod.'),
    tableColumn('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn,
    wideColumn('IP', 'IP address allocated to the pod. Routable at least within the cluster.'),
    wideColumn('Node', 'NodeName is the node this pod is scheduled onto.'),
    wideColumn('Nominated Node', 'nominatedNodeName is set when this pod preempts other pods on the node.'),
    wideColumn('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.'),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const pod = obj as Pod;
    const summary = summarizePod(pod, now);
    // Upstream reads podIPs only; podIP is the same address, so fall back to it for writers that set just that.
    const ip = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>';
    return [
      pod.metadata?.name ?? '',
      summary.ready,
      summary.status,
      summary.restarts,
      translateTimestampSince(pod.metadata?.creationTimestamp, now),
      ip,
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGates(pod),
    ];
  },
};

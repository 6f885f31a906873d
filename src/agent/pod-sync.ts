// One pod's sync: desired (the pod spec) against actual (the runtime), one pass at a time, as
// kubelet's SyncPod: volumes, sandbox, init containers in order to completion, app containers,
// restarts by restartPolicy with CrashLoopBackOff, probes, then the status. Deletion
// (deletionTimestamp) is graceful: preStop, stop with the remaining grace, sandbox removed, then the
// pod object deleted with gracePeriodSeconds 0 (the registry keeps bound pods until then).
import { rm } from 'node:fs/promises';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { PodObject } from './object-types.js';
import { PODS } from '../client/resource-types.js';
import { NotFoundError, ConflictError } from '../lib/errors.js';
import { formatGoDuration } from './backoff.js';
import { ContainerRecords } from './container-records.js';
import type { PodSyncDeps } from './pod-sync-deps.js';
import { computePodStatus, type ContainerObservation } from './pod-status.js';
import { podDir, prepareVolumes, VolumeError } from './pod-volumes.js';
import { PodProbes, type RunningContainer } from './probes/pod-probes.js';
import { sandboxLabels } from './runtime-labels.js';
import { unmountUnder } from './tmpfs-mount.js';
import type { ContainerStatus, SandboxStatus } from './runtime/runtime.js';
import path from 'node:path';

export interface SyncOutcome {
  /** Sync again after this many ms (undefined: only when the pod changes). */
  readonly nextSyncMs?: number;
  /** Nothing of the pod is left on this node: the worker can go. */
  readonly finished: boolean;
}

export interface Adopted {
  readonly sandbox?: SandboxStatus;
  readonly containers?: readonly ContainerStatus[];
}

type Waiting = { readonly reason: string; readonly message: string };

function podRef(pod: PodObject): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;
}

function shouldRestart(pod: PodObject, exitCode: number | undefined): boolean {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return exitCode !== 0;
  return false;
}

export class PodSync {
  readonly uid: string;
  private readonly deps: PodSyncDeps;
  private readonly records: ContainerRecords;
  private readonly probes: PodProbes;
  private readonly imageRefs = new Map<string, string>();
  private waiting = new Map<string, Waiting>();
  private sandbox: SandboxStatus | undefined;
  private sandboxAttempt = 0;
  private volumes: Map<string, string> | undefined;
  private lastPod: PodObject | undefined;
  private tornDown = false;
  /** Earliest time (ms) something waits for: a back-off expiring. */
  private wakeAt: number | undefined;

  constructor(deps: PodSyncDeps, options: { uid: string; adopted?: Adopted }) {
    this.deps = deps;
    this.uid = options.uid;
    this.sandbox = options.adopted?.sandbox;
    this.records = new ContainerRecords(options.adopted?.containers ?? []);
    this.probes = new PodProbes({ clock: deps.clock, execute: deps.probeExecutor });
  }

  /** One pass. `pod` undefined: the pod object is gone from the API. */
  async sync(input: PodObject | undefined): Promise<SyncOutcome> {
    if (!input) {
      await this.tearDown(this.lastPod, 0);
      return { finished: true };
    }
    const pod = this.deps.statusWriter.freshest(input);
    this.lastPod = pod;
    if (pod.metadata?.deletionTimestamp) {
      await this.terminate(pod);
      return { finished: false };
    }
    this.waiting = new Map();
    this.wakeAt = undefined;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      // Finished pods run nothing more; keep their containers' final state for status and logs.
      if (this.sandbox?.state === 'ready') await this.deps.runtime.stopPodSandbox(this.sandbox.id);
      await this.records.refresh(this.deps.runtime);
      await this.writeStatus(pod);
      return { finished: false };
    }
    const ready = await this.prepare(pod);
    // The records are re-read before acting (to see exits) and again after, for the status; when
    // nothing was started the second read would repeat the first a moment later. With many pods
    // that repeat was most of the agent's steady-state CRI traffic (ContainerStatus per container
    // per resync).
    let fresh = false;
    if (ready) {
      await this.records.refresh(this.deps.runtime);
      fresh = !(await this.syncContainers(pod));
    }
    if (!fresh) await this.records.refresh(this.deps.runtime);
    const killed = ready ? await this.runProbes(pod) : false;
    if (killed) await this.records.refresh(this.deps.runtime);
    await this.writeStatus(pod);
    return { finished: false, ...this.nextSync(pod, killed) };
  }

  /** Stops and removes the pod's containers and sandbox without touching the pod object. */
  async shutdown(): Promise<void> {
    const pod = this.lastPod;
    await this.tearDown(pod, pod?.spec?.terminationGracePeriodSeconds ?? 30);
  }

  /** Log file of the container's current (or previous) attempt, for the log server. */
  async logPath(containerName: string, previous: boolean): Promise<string | undefined> {
    await this.records.refresh(this.deps.runtime);
    return (previous ? this.records.previous(containerName) : this.records.current(containerName))?.logPath;
  }

  private nextSync(pod: PodObject, killed: boolean): { nextSyncMs?: number } {
    if (killed) return { nextSyncMs: 0 };
    const now = this.deps.clock.now().getTime();
    let next = now + this.deps.resyncMs;
    const probeDue = this.probes.nextDueAt(this.running(pod));
    if (probeDue !== undefined) next = Math.min(next, probeDue);
    if (this.wakeAt !== undefined) next = Math.min(next, this.wakeAt);
    return { nextSyncMs: Math.max(0, next - now) };
  }

  /** Volumes and sandbox; false when the pod cannot start containers yet. */
  private async prepare(pod: PodObject): Promise<boolean> {
    const { runtime, recorder } = this.deps;
    if (!this.volumes) {
      try {
        this.volumes = await prepareVolumes({
          pod, dataDir: this.deps.dataDir, source: this.deps.source, hostIP: this.deps.hostIP,
          warn: (reason, message) => recorder.event(pod, 'Warning', reason, message),
        });
      } catch (error) {
        if (!(error instanceof VolumeError)) throw error;
        recorder.event(pod, 'Warning', 'FailedMount', error.message);
        return false;
      }
    }
    if (this.sandbox) {
      try {
        this.sandbox = await runtime.podSandboxStatus(this.sandbox.id);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        this.sandbox = undefined;
      }
    }
    if (this.sandbox?.state === 'ready') return true;
    if (this.sandbox) {
      // The sandbox died (its network is gone): upstream kills and re-creates the pod's containers.
      recorder.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
      await runtime.stopPodSandbox(this.sandbox.id);
      this.sandboxAttempt++;
    }
    const meta = pod.metadata ?? {};
    const identity = { uid: this.uid, name: meta.name ?? '', namespace: meta.namespace ?? 'default' };
    try {
      const id = await runtime.runPodSandbox({
        podUid: this.uid,
        podName: identity.name,
        podNamespace: identity.namespace,
        attempt: this.sandboxAttempt,
        hostname: pod.spec?.hostname ?? identity.name,
        hostNetwork: pod.spec?.hostNetwork ?? false,
        portMappings: (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => ({
          containerPort: p.containerPort,
          ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}),
          protocol: (p.protocol ?? 'TCP') as 'TCP' | 'UDP' | 'SCTP',
        }))),
        logDirectory: this.logDirectory(),
        labels: sandboxLabels(identity),
      });
      this.sandbox = await runtime.podSandboxStatus(id);
      return true;
    } catch (error) {
      recorder.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  private logDirectory(): string {
    return path.join(podDir(this.deps.dataDir, this.uid), 'logs');
  }

  private podIP(pod: PodObject): string | undefined {
    if (pod.spec?.hostNetwork) return this.deps.hostIP;
    return this.sandbox?.ip;
  }

  /** The next attempt number: after the newest runtime attempt, else after what the pod status remembers. */
  private nextAttempt(pod: PodObject, container: Container): number {
    const current = this.records.current(container.name);
    if (current) return current.attempt + 1;
    const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
    const known = statuses.find((s) => s.name === container.name);
    return known?.containerID ? known.restartCount + 1 : 0;
  }

  /** Starts what should run; true when it asked the runtime for anything (or may have). */
  private async syncContainers(pod: PodObject): Promise<boolean> {
    for (const container of pod.spec?.initContainers ?? []) {
      const current = this.records.current(container.name);
      if (current?.state === 'exited' && current.exitCode === 0) continue;
      // Init containers run one at a time, in order: the next waits for this one.
      return this.syncContainer(pod, container);
    }
    let acted = false;
    for (const container of pod.spec?.containers ?? []) {
      if (await this.syncContainer(pod, container)) acted = true;
    }
    return acted;
  }

  private async syncContainer(pod: PodObject, container: Container): Promise<boolean> {
    const current = this.records.current(container.name);
    if (!current) await this.start(pod, container, this.nextAttempt(pod, container));
    else if (current.state === 'created') await this.deps.runtime.startContainer(current.id);
    else if (current.state === 'exited' && shouldRestart(pod, current.exitCode)) await this.restartWithBackoff(pod, container, current);
    else return false;
    return true;
  }

  private async restartWithBackoff(pod: PodObject, container: Container, exited: ContainerStatus): Promise<void> {
    const { backoff, clock, recorder } = this.deps;
    const key = `${this.uid}/${container.name}`;
    const finishedAt = exited.finishedAt ?? exited.createdAt;
    const now = clock.now();
    if (backoff.isInBackOffSince(key, finishedAt, now)) {
      const delay = formatGoDuration(backoff.delayMs(key));
      this.waiting.set(container.name, {
        reason: 'CrashLoopBackOff',
        message: `back-off ${delay} restarting failed container=${container.name} pod=${podRef(pod)}`,
      });
      recorder.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${container.name} in pod ${podRef(pod)}`);
      const readyAt = backoff.readyAt(key, finishedAt);
      if (readyAt !== undefined && (this.wakeAt === undefined || readyAt < this.wakeAt)) this.wakeAt = readyAt;
      return;
    }
    backoff.next(key, finishedAt);
    // Like the kubelet, report the exit before acting on it: the pod turns not-Ready (with a new
    // transition time) even when the restart follows at once, so a crash loop never looks
    // continuously Ready (which minReadySeconds would count as available).
    await this.writeStatus(pod);
    await this.start(pod, container, exited.attempt + 1);
  }

  private async start(pod: PodObject, container: Container, attempt: number): Promise<void> {
    const { runtime, starter } = this.deps;
    const sandbox = this.sandbox;
    if (!sandbox || !this.volumes) return;
    const podIP = this.podIP(pod);
    const result = await starter.start({
      pod, container, sandboxId: sandbox.id, attempt, volumes: this.volumes, logDirectory: this.logDirectory(),
      hostIP: this.deps.hostIP, ...(podIP ? { podIP } : {}),
    });
    if (!result.ok) {
      this.waiting.set(container.name, { reason: result.reason, message: result.message });
      // An image pull back-off: come back when the next pull is allowed.
      if (result.retryAt !== undefined && (this.wakeAt === undefined || result.retryAt < this.wakeAt)) this.wakeAt = result.retryAt;
      // A container that was created but failed to start is still a record (exited: StartError).
      const created = (await runtime.listContainers({ sandboxId: sandbox.id })).filter((c) => c.name === container.name && c.attempt === attempt);
      for (const c of created) this.records.add(c);
      return;
    }
    this.imageRefs.set(container.name, result.imageRef);
    this.records.add(await runtime.containerStatus(result.containerId));
    await this.records.pruneOld(runtime);
  }

  private running(pod: PodObject): RunningContainer[] {
    const out: RunningContainer[] = [];
    for (const container of pod.spec?.containers ?? []) {
      const current = this.records.current(container.name);
      if (current?.state === 'running') out.push({ container, id: current.id, startedAt: current.startedAt ?? current.createdAt });
    }
    return out;
  }

  /** Runs due probes; kills containers whose liveness/startup probe failed. True when it killed. */
  private async runProbes(pod: PodObject): Promise<boolean> {
    const { recorder } = this.deps;
    const podIP = this.podIP(pod);
    const round = await this.probes.runDue(this.running(pod), { hostIP: this.deps.hostIP, ...(podIP ? { podIP } : {}) });
    for (const failure of round.failures) recorder.event(pod, 'Warning', 'Unhealthy', failure.message);
    for (const { container: name, type } of round.kill) {
      const container = pod.spec?.containers.find((c) => c.name === name);
      const current = this.records.current(name);
      if (!container || !current) continue;
      await this.deps.killer.kill({
        pod, container, containerId: current.id, graceSeconds: pod.spec?.terminationGracePeriodSeconds ?? 30,
        message: `Container ${name} failed ${type} probe, will be restarted`, hostIP: this.deps.hostIP, ...(podIP ? { podIP } : {}),
      });
    }
    return round.kill.length > 0;
  }

  private observe(pod: PodObject, container: Container, isInit: boolean): ContainerObservation {
    const current = this.records.current(container.name);
    const previous = this.records.previous(container.name);
    const known = (isInit ? pod.status?.initContainerStatuses : pod.status?.containerStatuses)?.find((s) => s.name === container.name);
    const waiting = this.waiting.get(container.name);
    const running = current?.state === 'running';
    const imageId = this.imageRefs.get(container.name) ?? (known?.imageID || undefined) ?? (current ? current.image : undefined);
    return {
      name: container.name,
      image: container.image ?? '',
      ...(imageId ? { imageId } : {}),
      ...(current ? { current } : {}),
      ...(previous ? { previous } : {}),
      ...(waiting ? { waiting } : {}),
      restartCount: current?.attempt ?? known?.restartCount ?? 0,
      ready: !isInit && running && current !== undefined && this.probes.ready(container, current.id),
      started: running && current !== undefined && this.probes.started(container, current.id),
    };
  }

  private async writeStatus(pod: PodObject, terminating = false): Promise<void> {
    const podIP = this.podIP(pod);
    await this.deps.statusWriter.write(pod, (fresh) => computePodStatus({
      pod: fresh,
      now: this.deps.clock.now(),
      runtimeName: this.deps.runtime.name,
      hostIP: this.deps.hostIP,
      ...(podIP ? { podIP } : {}),
      sandboxReady: !terminating && this.sandbox?.state === 'ready',
      initContainers: (fresh.spec?.initContainers ?? []).map((c) => this.observe(fresh, c, true)),
      containers: (fresh.spec?.containers ?? []).map((c) => this.observe(fresh, c, false)),
      terminating,
    }));
  }

  /** Graceful deletion: stop everything within the grace period, then finish the pod's deletion. */
  private async terminate(pod: PodObject): Promise<void> {
    if (!this.tornDown) {
      const grace = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      await this.tearDown(pod, grace);
    }
    try {
      await this.deps.clients.resource<PodObject>(PODS).delete(pod.metadata?.namespace, pod.metadata?.name ?? '', {
        gracePeriodSeconds: 0,
        preconditions: { uid: this.uid },
      });
    } catch (error) {
      // Gone already, or a different pod of the same name now: nothing of ours to delete.
      if (!(error instanceof NotFoundError) && !(error instanceof ConflictError)) throw error;
    }
  }

  /** Stops and removes everything of the pod on this node (pod undefined: only the runtime side). */
  private async tearDown(pod: PodObject | undefined, graceSeconds: number): Promise<void> {
    if (this.tornDown) return;
    const { runtime, killer } = this.deps;
    if (!this.sandbox) {
      this.sandbox = (await runtime.listPodSandboxes()).find((s) => s.podUid === this.uid);
    }
    await this.records.refresh(runtime);
    const specs = [...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.containers ?? [])];
    const podIP = pod ? this.podIP(pod) : undefined;
    await Promise.all(this.records.names().map(async (name) => {
      const current = this.records.current(name);
      if (current?.state !== 'running') return;
      const container = specs.find((c) => c.name === name);
      if (!pod || !container) {
        await runtime.stopContainer(current.id, graceSeconds);
        return;
      }
      await killer.kill({
        pod, container, containerId: current.id, graceSeconds, message: `Stopping container ${name}`,
        hostIP: this.deps.hostIP, ...(podIP ? { podIP } : {}),
      });
    }));
    if (this.sandbox) await runtime.stopPodSandbox(this.sandbox.id);
    await this.records.refresh(runtime);
    if (pod) await this.writeStatus(pod, true);
    if (this.sandbox) await runtime.removePodSandbox(this.sandbox.id);
    for (const c of this.records.all()) {
      try {
        await runtime.removeContainer(c.id);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    this.records.clear();
    this.sandbox = undefined;
    this.deps.backoff.forgetPrefix(`${this.uid}/`);
    this.deps.statusWriter.forget(this.uid);
    // Memory-backed volumes (tmpfs) are unmounted first: rm cannot remove a mount point.
    await unmountUnder(podDir(this.deps.dataDir, this.uid));
    await rm(podDir(this.deps.dataDir, this.uid), { recursive: true, force: true });
    this.tornDown = true;
  }
}

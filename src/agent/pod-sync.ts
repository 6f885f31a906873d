// One pod's sync: desired (the pod spec) against actual (the runtime), one pass at a time, as
// kubelet's SyncPod: volumes, sandbox, init containers in order (sidecars: sidecar-plan.ts), app
// containers, postStart hooks, restarts by restartPolicy with CrashLoopBackOff, probes, then the
// status. The step for one container (start, restart with back-off, postStart) is
// container-start-step.ts. Deletion (deletionTimestamp) is graceful (pod-teardown.ts): preStop,
// stop with the remaining grace (sidecars last: termination-order.ts), sandbox removed, then the
// pod object deleted with gracePeriodSeconds 0 (the registry keeps bound pods until then).
import type { Container } from 'kubernetes-types/core/v1.js';
import type { PodObject } from './object-types.js';
import { observeContainer } from './container-observation.js';
import { ContainerRecords } from './container-records.js';
import { ContainerStartStep } from './container-start-step.js';
import type { PodSyncDeps } from './pod-sync-deps.js';
import { computePodStatus, type ContainerObservation } from './pod-status.js';
import { ensureSandbox } from './pod-sandbox.js';
import { finishDeletion, releaseNodeState, removeFromRuntime } from './pod-teardown.js';
import { podDir, prepareVolumes, VolumeError, type VolumeContext } from './pod-volumes.js';
import { PodProbes, type RunningContainer } from './probes/pod-probes.js';
import { PodTokenFiles } from './service-account-token.js';
import { initCompleted, isInitialized, isPodDone, isSidecar } from './sidecar-plan.js';
import { stopInOrder, type StopTarget } from './termination-order.js';
import { DEFAULT_VOLUME_RESYNC_MS, VolumeResync } from './volume-resync.js';
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

export class PodSync {
  readonly uid: string;
  private readonly deps: PodSyncDeps;
  private readonly records: ContainerRecords;
  private readonly probes: PodProbes;
  private readonly step: ContainerStartStep;
  /** The pod's projected ServiceAccount tokens, refreshed from prepare() when one is due. */
  private readonly tokens: PodTokenFiles | undefined;
  private sandbox: SandboxStatus | undefined;
  private sandboxAttempt = 0;
  private volumes: Map<string, string> | undefined;
  /** configMap/secret/downwardAPI/projected files follow their sources (volume-resync.ts). */
  private readonly volumeResync: VolumeResync;
  private lastPod: PodObject | undefined;
  private tornDown = false;
  /** A sidecar the init sequence waits on to pass its startup probe (sync again as soon as it does). */
  private gate: { readonly container: Container; readonly id: string } | undefined;

  constructor(deps: PodSyncDeps, options: { uid: string; adopted?: Adopted }) {
    this.deps = deps;
    this.uid = options.uid;
    this.sandbox = options.adopted?.sandbox;
    this.records = new ContainerRecords(options.adopted?.containers ?? []);
    this.probes = new PodProbes({ clock: deps.clock, execute: deps.probeExecutor });
    const request = deps.source.serviceAccountToken;
    this.tokens = request ? new PodTokenFiles({ clock: deps.clock, request }) : undefined;
    this.volumeResync = new VolumeResync({ clock: deps.clock, periodMs: deps.volumeResyncMs ?? DEFAULT_VOLUME_RESYNC_MS });
    this.step = new ContainerStartStep({ deps, uid: this.uid, records: this.records, writeStatus: (pod) => this.writeStatus(pod) });
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
    this.step.beginPass();
    this.gate = undefined;
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
    // The sidecar the init sequence waited on just started: the next container may go now.
    if (this.gate && this.probes.started(this.gate.container, this.gate.id)) return { nextSyncMs: 0 };
    const now = this.deps.clock.now().getTime();
    let next = now + this.deps.resyncMs;
    const probeDue = this.probes.nextDueAt(this.running(pod));
    if (probeDue !== undefined) next = Math.min(next, probeDue);
    const wakeAt = this.step.wakeAt;
    if (wakeAt !== undefined) next = Math.min(next, wakeAt);
    for (const due of [this.tokens?.nextRefreshAt(), this.volumeResync.nextAt()]) if (due !== undefined) next = Math.min(next, due);
    return { nextSyncMs: Math.max(0, next - now) };
  }

  /** Volumes and sandbox; false when the pod cannot start containers yet. */
  private async prepare(pod: PodObject): Promise<boolean> {
    const { runtime, recorder } = this.deps;
    const ctx: VolumeContext = {
      pod, dataDir: this.deps.dataDir, source: this.deps.source, hostIP: this.deps.hostIP,
      ...(this.deps.memoryDir !== undefined ? { memoryDir: this.deps.memoryDir } : {}),
      warn: (reason, message) => recorder.event(pod, 'Warning', reason, message),
      ...(this.tokens ? { tokens: this.tokens } : {}),
    };
    if (!this.volumes) {
      try {
        this.volumes = await prepareVolumes(ctx);
        this.volumeResync.schedule(pod);
      } catch (error) {
        if (!(error instanceof VolumeError)) throw error;
        recorder.event(pod, 'Warning', 'FailedMount', error.message);
        return false;
      }
    } else {
      // Nothing to do (numbers compared) until a token reaches 80% of its life or a resync is due.
      for (const problem of (await this.tokens?.refreshDue(pod)) ?? []) {
        recorder.event(pod, 'Warning', 'FailedMount', new VolumeError(problem.volume, problem.message).message);
      }
      for (const error of await this.volumeResync.runDue(ctx, this.volumes)) recorder.event(pod, 'Warning', 'FailedMount', error.message);
    }
    const ensured = await ensureSandbox({
      runtime, recorder, pod, uid: this.uid, logDirectory: this.logDirectory(), sandbox: this.sandbox, attempt: this.sandboxAttempt,
      ...(this.deps.dns ? { dns: this.deps.dns } : {}),
    });
    this.sandbox = ensured.sandbox;
    this.sandboxAttempt = ensured.attempt;
    return ensured.ready;
  }

  private logDirectory(): string {
    return path.join(podDir(this.deps.dataDir, this.uid), 'logs');
  }

  private podIP(pod: PodObject): string | undefined {
    if (pod.spec?.hostNetwork) return this.deps.hostIP;
    return this.sandbox?.ip;
  }

  /** Starts what should run; true when it asked the runtime for anything (or may have). */
  private async syncContainers(pod: PodObject): Promise<boolean> {
    const current = (name: string): ContainerStatus | undefined => this.records.current(name);
    if (isPodDone(pod, current)) return this.stopSidecars(pod);
    const initialized = isInitialized(pod, current, this.sandbox?.id);
    const place = { sandbox: this.sandbox, volumes: this.volumes, logDirectory: this.logDirectory(), podIP: this.podIP(pod) };
    let acted = false;
    for (const container of pod.spec?.initContainers ?? []) {
      const sidecar = isSidecar(container);
      if (!sidecar && (initialized || initCompleted(container, current(container.name)))) continue;
      if (await this.step.sync(pod, container, place)) acted = true;
      if (initialized) continue;
      // Init containers go one at a time, in order: the next waits for this one to exit 0, or
      // for this sidecar to be started.
      const attempt = current(container.name);
      if (!sidecar || attempt?.state !== 'running') return acted;
      if (!this.probes.started(container, attempt.id)) {
        this.gate = { container, id: attempt.id };
        return acted;
      }
    }
    for (const container of pod.spec?.containers ?? []) {
      if (await this.step.sync(pod, container, place)) acted = true;
    }
    return acted;
  }

  /** A finished Job-like pod: its sidecars are stopped (last declared first), never restarted. */
  private async stopSidecars(pod: PodObject): Promise<boolean> {
    const targets = this.runningTargets((pod.spec?.initContainers ?? []).filter(isSidecar));
    await this.stopTargets(pod, targets, pod.spec?.terminationGracePeriodSeconds ?? 30);
    return targets.length > 0;
  }

  private async stopTargets(pod: PodObject, targets: readonly StopTarget[], graceSeconds: number): Promise<void> {
    if (targets.length === 0) return;
    const podIP = this.podIP(pod);
    await stopInOrder({ killer: this.deps.killer, pod, targets, graceSeconds, hostIP: this.deps.hostIP, ...(podIP ? { podIP } : {}) });
  }

  private runningTargets(containers: readonly Container[]): RunningContainer[] {
    const out: RunningContainer[] = [];
    for (const container of containers) {
      const current = this.records.current(container.name);
      if (current?.state === 'running') out.push({ container, id: current.id, startedAt: current.startedAt ?? current.createdAt });
    }
    return out;
  }

  /** Running app containers and sidecars: the containers whose probes run. */
  private running(pod: PodObject): RunningContainer[] {
    return this.runningTargets([...(pod.spec?.initContainers ?? []).filter(isSidecar), ...(pod.spec?.containers ?? [])]);
  }

  /** Runs due probes; kills containers whose liveness/startup probe failed. True when it killed. */
  private async runProbes(pod: PodObject): Promise<boolean> {
    const { recorder } = this.deps;
    const podIP = this.podIP(pod);
    const round = await this.probes.runDue(this.running(pod), { hostIP: this.deps.hostIP, ...(podIP ? { podIP } : {}) });
    for (const failure of round.failures) recorder.event(pod, 'Warning', 'Unhealthy', failure.message);
    for (const { container: name, type } of round.kill) {
      const container = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === name);
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
    const { name } = container;
    const [current, previous, waiting, imageRef] = [this.records.current(name), this.records.previous(name), this.step.waitingFor(name), this.step.imageRef(name)];
    return observeContainer(pod, container, isInit, {
      ...(current ? { current } : {}), ...(previous ? { previous } : {}), ...(waiting ? { waiting } : {}), ...(imageRef ? { imageRef } : {}),
      started: (c, id) => this.probes.started(c, id), ready: (c, id) => this.probes.ready(c, id),
    });
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
    await finishDeletion(this.deps, pod, this.uid);
  }

  /** Stops and removes everything of the pod on this node (pod undefined: only the runtime side). */
  private async tearDown(pod: PodObject | undefined, graceSeconds: number): Promise<void> {
    if (this.tornDown) return;
    if (!this.sandbox) {
      this.sandbox = (await this.deps.runtime.listPodSandboxes()).find((s) => s.podUid === this.uid);
    }
    await removeFromRuntime({
      deps: this.deps, records: this.records, sandbox: this.sandbox, pod, graceSeconds,
      running: (containers) => this.runningTargets(containers),
      stopInOrder: (p, targets, grace) => this.stopTargets(p, targets, grace),
      writeStatus: (p) => this.writeStatus(p, true),
    });
    this.sandbox = undefined;
    await releaseNodeState(this.deps, this.uid);
    this.tornDown = true;
  }
}

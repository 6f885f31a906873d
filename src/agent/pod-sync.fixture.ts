// Test harness for pod syncs: FakeRuntime + FakeClientSet + FakeClock + FakeEventRecorder, with
// the same wiring NodeAgent uses. Tests drive time with clock.advance() and call step(); no sleeps.
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { FakeEventRecorder } from '../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../client/fake/fake-client-set.js';
import { PODS } from '../client/resource-types.js';
import { FakeClock } from '../lib/clock.js';
import { silentLogger } from '../lib/logger.js';
import { CrashLoopBackoff } from './backoff.js';
import { clientConfigSource } from './client-config-source.js';
import { ContainerKiller } from './container-killer.js';
import { ContainerStarter } from './container-starter.js';
import type { PodObject } from './object-types.js';
import { PodStatusWriter } from './pod-status-writer.js';
import type { PodSyncDeps } from './pod-sync-deps.js';
import { PodSync, type Adopted, type SyncOutcome } from './pod-sync.js';
import { probeExecutor } from './probes/run-probe.js';
import { FakeRuntime } from './runtime/fake/fake-runtime.js';
import { tempDirRemovedAtExit } from '../../test/helpers/temp-dir.js';

export const HOST_IP = '10.0.0.5';

export class PodSyncHarness {
  readonly clock = new FakeClock();
  readonly clients = new FakeClientSet({ clock: this.clock });
  readonly recorder = new FakeEventRecorder();
  readonly dataDir = tempDirRemovedAtExit('k8ts-agent-');
  /** Stands for the agent's memory root (memory-root.ts): apart from the data dir, so tests see which one a volume used. */
  readonly memoryDir = tempDirRemovedAtExit('k8ts-agent-memory-');
  runtime: FakeRuntime;
  deps: PodSyncDeps;

  constructor() {
    this.runtime = new FakeRuntime({ clock: this.clock, hostIp: HOST_IP });
    this.deps = this.makeDeps();
  }

  makeDeps(): PodSyncDeps {
    const logger = silentLogger();
    const source = clientConfigSource(this.clients);
    const common = { runtime: this.runtime, recorder: this.recorder, clock: this.clock };
    return {
      ...common, clients: this.clients, logger, dataDir: this.dataDir, memoryDir: this.memoryDir, hostIP: HOST_IP, source,
      starter: new ContainerStarter({ ...common, source, nodeAllocatable: { cpu: 4, memory: 8 * 2 ** 30 } }),
      killer: new ContainerKiller({ ...common, logger }),
      backoff: new CrashLoopBackoff(),
      probeExecutor: probeExecutor(this.runtime),
      statusWriter: new PodStatusWriter({ pods: this.clients.resource<PodObject>(PODS) }),
      resyncMs: 1000,
    };
  }

  /** An agent restart: a new runtime instance over the same state, fresh agent memory. */
  restartAgent(): void {
    this.runtime = this.runtime.reopen();
    this.deps = this.makeDeps();
  }

  createPod(name: string, spec: Partial<PodSpec> & { containers?: Container[] }): PodObject {
    const [pod] = this.clients.seed<PodObject>(PODS, {
      metadata: { name, namespace: 'default' },
      spec: { nodeName: 'node-1', restartPolicy: 'Always', terminationGracePeriodSeconds: 30, containers: [{ name: 'app', image: 'busybox' }], ...spec },
      status: { phase: 'Pending', qosClass: 'BestEffort' },
    });
    if (!pod) throw new Error('seed failed');
    return pod;
  }

  syncFor(pod: PodObject, adopted?: Adopted): PodSync {
    return new PodSync(this.deps, { uid: pod.metadata?.uid ?? '', ...(adopted ? { adopted } : {}) });
  }

  async pod(name: string): Promise<PodObject> {
    return this.clients.resource<PodObject>(PODS).get('default', name);
  }

  /** One sync pass against the stored pod; returns the stored pod afterwards. */
  async step(sync: PodSync, name: string): Promise<{ pod: PodObject; outcome: SyncOutcome }> {
    const outcome = await sync.sync(await this.pod(name));
    return { pod: await this.pod(name), outcome };
  }

  messages(reason: string): string[] {
    return this.recorder.events.filter((e) => e.reason === reason).map((e) => e.message);
  }

  containerIds(name: string): string[] {
    return [...this.runtime.state.containers.values()].filter((c) => c.config.name === name).map((c) => c.id);
  }
}

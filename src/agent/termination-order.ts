// Stopping several containers of one pod at once, in upstream's order (kubelet's
// terminationOrdering, KEP-753): every container gets its `Killing` Event and its preStop hook at
// once; the main containers (and a regular init container still running) are then stopped
// together; the sidecars (restartable init containers) only after every main container has
// stopped, and each sidecar only after the sidecars declared after it, so the first sidecar stops
// last. A wait never outlasts the grace period: a container whose turn has not come when its grace
// runs out is stopped anyway (with the 2 s minimum).
//
// Example: init [log-shipper (sidecar), proxy (sidecar)], containers [app]: app stops first,
// then proxy, then log-shipper.
import type { Container } from 'kubernetes-types/core/v1.js';
import type { ContainerKiller } from './container-killer.js';
import type { PodObject } from './object-types.js';
import { isSidecar } from './sidecar-plan.js';

export interface StopTarget {
  readonly container: Container;
  readonly id: string;
}

export class TerminationOrdering {
  private readonly stopped = new Map<string, Promise<void>>();
  private readonly resolvers = new Map<string, () => void>();
  private readonly prerequisites = new Map<string, readonly string[]>();

  /** `initContainers`: the pod's spec order, which fixes the sidecars' reverse order. */
  constructor(initContainers: readonly Container[], stopping: readonly StopTarget[]) {
    const names = new Set(stopping.map((s) => s.container.name));
    for (const name of names) {
      this.stopped.set(name, new Promise<void>((resolve) => this.resolvers.set(name, resolve)));
    }
    const sidecarOrder = initContainers.filter(isSidecar).map((c) => c.name);
    const main = stopping.filter((s) => !isSidecar(s.container)).map((s) => s.container.name);
    for (const target of stopping) {
      const name = target.container.name;
      if (!isSidecar(target.container)) continue;
      const later = sidecarOrder.slice(sidecarOrder.indexOf(name) + 1).filter((n) => names.has(n));
      this.prerequisites.set(name, [...main, ...later]);
    }
  }

  /** Resolves once every container that must stop before `name` has, or after `graceSeconds`. */
  async waitForTurn(name: string, graceSeconds: number): Promise<void> {
    const before = (this.prerequisites.get(name) ?? []).map((n) => this.stopped.get(n) ?? Promise.resolve());
    if (before.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceSeconds * 1000);
      timer.unref();
    });
    try {
      await Promise.race([Promise.all(before), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** `name` has stopped (or failed to): whoever waits for it may go. */
  done(name: string): void {
    this.resolvers.get(name)?.();
  }
}

export interface StopInOrderRequest {
  readonly killer: ContainerKiller;
  readonly pod: PodObject;
  readonly targets: readonly StopTarget[];
  readonly graceSeconds: number;
  readonly hostIP: string;
  readonly podIP?: string;
}

/** Stops the targets (running containers of `pod`) in termination order; `Killing` "Stopping container <name>". */
export async function stopInOrder(request: StopInOrderRequest): Promise<void> {
  const { killer, pod, targets } = request;
  const ordering = new TerminationOrdering(pod.spec?.initContainers ?? [], targets);
  await Promise.all(targets.map(async ({ container, id }) => {
    try {
      await killer.kill({
        pod, container, containerId: id, graceSeconds: request.graceSeconds, message: `Stopping container ${container.name}`,
        hostIP: request.hostIP, ...(request.podIP ? { podIP: request.podIP } : {}),
        waitForTurn: (grace) => ordering.waitForTurn(container.name, grace),
      });
    } finally {
      ordering.done(container.name);
    }
  }));
}

// The agent's memory of one pod's runtime containers: per container name, its attempts newest
// first. Filled from the runtime at adoption and by every start; refreshed through
// containerStatus(id) (cheap for 10,000 hollow pods, unlike listing every container per sync).
// Only the newest two attempts matter: the current one and the previous (`lastState`,
// `kubectl logs --previous`); older ones are removed from the runtime.
import { NotFoundError } from '../lib/errors.js';
import { CONTAINER_NAME_LABEL } from './runtime-labels.js';
import type { ContainerRuntime, ContainerStatus } from './runtime/runtime.js';

export class ContainerRecords {
  private readonly byName = new Map<string, ContainerStatus[]>();

  constructor(initial: readonly ContainerStatus[] = []) {
    for (const status of initial) this.add(status);
  }

  add(status: ContainerStatus): void {
    const name = status.labels[CONTAINER_NAME_LABEL] ?? status.name;
    const list = (this.byName.get(name) ?? []).filter((s) => s.id !== status.id);
    list.push(status);
    list.sort((a, b) => b.attempt - a.attempt || b.createdAt.getTime() - a.createdAt.getTime());
    this.byName.set(name, list);
  }

  current(name: string): ContainerStatus | undefined {
    return this.byName.get(name)?.[0];
  }

  previous(name: string): ContainerStatus | undefined {
    return this.byName.get(name)?.[1];
  }

  all(): ContainerStatus[] {
    return [...this.byName.values()].flat();
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  clear(): void {
    this.byName.clear();
  }

  /** Re-reads the newest two attempts of every name; forgets containers the runtime lost. */
  async refresh(runtime: ContainerRuntime): Promise<void> {
    for (const [name, list] of this.byName) {
      const fresh: ContainerStatus[] = [];
      for (const status of list.slice(0, 2)) {
        try {
          fresh.push(await runtime.containerStatus(status.id));
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
        }
      }
      if (fresh.length === 0) this.byName.delete(name);
      else this.byName.set(name, [...fresh, ...list.slice(2)]);
    }
  }

  /** Removes attempts older than the previous one from the runtime and from memory. */
  async pruneOld(runtime: ContainerRuntime): Promise<void> {
    for (const [name, list] of this.byName) {
      for (const old of list.slice(2)) {
        try {
          await runtime.removeContainer(old.id);
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
        }
      }
      this.byName.set(name, list.slice(0, 2));
    }
  }
}

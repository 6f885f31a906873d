// Every served resource: one GenericRegistry per kind, looked up by group/version/resource. It
// also wires the namespace lifecycle check (creates into a missing or terminating namespace fail)
// to the namespaces registry.
import type { KindInfo } from '../../api/kind-info.js';
import type { Store } from '../../storage/store.js';
import { GenericRegistry } from './generic-registry.js';
import type { Clock, NamespaceState, UnknownFieldDetector } from './registry-context.js';
import type { ApiRegistryView, ResourceRegistry } from './registry-types.js';
import type { ResourceStrategy } from './strategy.js';
import type { WriteHooks } from './write-hooks.js';

export interface ApiRegistryOptions {
  readonly store: Store;
  readonly kinds: readonly ResourceStrategy[];
  readonly clock: Clock;
  readonly fieldValidator?: UnknownFieldDetector;
  readonly bookmarkIntervalMs?: number;
  /** REST-layer write hooks of a kind, if it has any (Services: IP and node port allocation). */
  readonly writeHooks?: (info: KindInfo) => WriteHooks | undefined;
}

export class ApiRegistry implements ApiRegistryView {
  readonly resources: readonly GenericRegistry[];
  readonly #byPath = new Map<string, GenericRegistry>();

  constructor(options: ApiRegistryOptions) {
    const namespaceState = (name: string): Promise<NamespaceState> => this.#namespaceState(name);
    this.resources = options.kinds.map((strategy) => {
      const writeHooks = options.writeHooks?.(strategy.info);
      return new GenericRegistry({
        store: options.store,
        strategy,
        clock: options.clock,
        namespaceState,
        ...(writeHooks ? { writeHooks } : {}),
        ...(options.fieldValidator ? { fieldValidator: options.fieldValidator } : {}),
        ...(options.bookmarkIntervalMs === undefined ? {} : { bookmarkIntervalMs: options.bookmarkIntervalMs }),
      });
    });
    for (const registry of this.resources) {
      const { group, version, resource } = registry.strategy.info;
      const path = pathOf(group, version, resource);
      if (this.#byPath.has(path)) throw new Error(`two kinds serve ${path}`);
      this.#byPath.set(path, registry);
    }
  }

  lookup(group: string, version: string, resource: string): ResourceRegistry | undefined {
    return this.#byPath.get(pathOf(group, version, resource));
  }

  /** Stops every watch cache. */
  close(): void {
    for (const registry of this.resources) registry.close();
  }

  async #namespaceState(name: string): Promise<NamespaceState> {
    const namespaces = this.#byPath.get(pathOf('', 'v1', 'namespaces'));
    // Without a namespaces kind (narrow test setups) there is nothing to check against.
    if (!namespaces) return 'Active';
    try {
      const ns = await namespaces.getShared(undefined, name);
      const phase = (ns['status'] as { phase?: unknown } | undefined)?.phase;
      return ns.metadata?.deletionTimestamp !== undefined || phase === 'Terminating' ? 'Terminating' : 'Active';
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'NotFound') return 'NotFound';
      throw error;
    }
  }
}

function pathOf(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}

// Decides whether an ownerReference points at a live owner (upstream: GarbageCollector.isDangling).
// The cache is asked first; when it does not have the owner, a live GET confirms, because the
// owner's informer may simply lag behind the dependent's (a Deployment's RS can be seen before
// the Deployment). An owner is present only if its uid matches: a recreated owner with the same
// name is a different object, and its predecessor's dependents are garbage.
import type { KubeObject } from '../../api/object.js';
import type { ClientSet, ResourceType } from '../../client/resource-client.js';
import * as builtIn from '../../client/resource-types.js';
import { NotFoundError } from '../../lib/errors.js';
import type { OwnerReference } from '../framework/controller-ref.js';
import type { OwnerGraph } from './owner-graph.js';

export type OwnerState =
  | { readonly state: 'present'; readonly owner: KubeObject }
  | { readonly state: 'absent' }
  /** The reference names a kind we cannot resolve: treated as a live owner, never as garbage. */
  | { readonly state: 'unknown' };

/** Every built-in ResourceType, for mapping an ownerReference's apiVersion/kind to a resource. */
export const BUILT_IN_TYPES: readonly ResourceType[] = Object.values(builtIn as Record<string, unknown>).filter(isResourceType);

function isResourceType(value: unknown): value is ResourceType {
  return typeof value === 'object' && value !== null && 'resource' in value && 'kind' in value && 'namespaced' in value;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Upper bound of remembered absent owners (uids never come back, so any subset is correct). */
const ABSENT_CACHE_LIMIT = 10_000;

export class OwnerResolver {
  private readonly clients: ClientSet;
  private readonly graph: OwnerGraph;
  private readonly types: readonly ResourceType[];
  private readonly absent = new Set<string>();

  constructor(options: { readonly clients: ClientSet; readonly graph: OwnerGraph; readonly types?: readonly ResourceType[] }) {
    this.clients = options.clients;
    this.graph = options.graph;
    this.types = [...(options.types ?? []), ...BUILT_IN_TYPES];
  }

  typeOf(ref: Pick<OwnerReference, 'apiVersion' | 'kind'>): ResourceType | undefined {
    const group = groupOf(ref.apiVersion);
    return this.types.find((t) => t.group === group && t.kind === ref.kind);
  }

  /** The owner `ref` of an object in `namespace` stands for, as it is now. */
  async resolve(ref: OwnerReference, namespace: string | undefined): Promise<OwnerState> {
    if (this.absent.has(ref.uid)) return { state: 'absent' };
    const type = this.typeOf(ref);
    if (type === undefined) return { state: 'unknown' };
    const ownerNamespace = type.namespaced ? namespace : undefined;
    if (type.namespaced && ownerNamespace === undefined) return { state: 'unknown' };
    const cached = this.graph.sourceFor(type)?.lister.get(ownerNamespace, ref.name);
    if (cached?.metadata?.uid === ref.uid) return { state: 'present', owner: cached };
    try {
      const live = await this.clients.resource(type).get(ownerNamespace, ref.name);
      if (live.metadata?.uid === ref.uid) return { state: 'present', owner: live };
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    if (this.absent.size >= ABSENT_CACHE_LIMIT) this.absent.clear();
    this.absent.add(ref.uid);
    return { state: 'absent' };
  }
}

// Discovery documents built from the served kinds (every ResourceRegistry's KindInfo), nothing
// per kind written here. Both forms kubectl knows (kubectl-wire §1):
//   legacy:      /api (APIVersions), /apis (APIGroupList), /apis/<g> (APIGroup),
//                /api/v1 and /apis/<g>/<v> (APIResourceList)
//   aggregated:  /api and /apis as apidiscovery.k8s.io APIGroupDiscoveryList (v2 or v2beta1)
import { ALL_VERBS, type KindInfo } from '../../api/kind-info.js';
import { apiVersionOf } from '../../api/object.js';
import type { ApiRegistryView } from '../registry/registry-types.js';
import type { StaticApiGroup } from './static-api-group.js';
import { compareVersionPriority } from './version-priority.js';

const SUBRESOURCE_VERBS = ['get', 'patch', 'update'];

interface GroupEntry {
  readonly name: string;
  /** Most preferred first. */
  readonly versions: string[];
  readonly kinds: Map<string, KindInfo[]>;
}

interface SubresourceEntry {
  readonly name: 'scale' | 'status' | 'attach' | 'exec' | 'portforward' | 'eviction' | 'token';
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Default SUBRESOURCE_VERBS. */
  readonly verbs?: readonly string[];
}

/** Pod streaming subresources (apiserver/http/pod-stream-proxy.ts), listed as upstream does. */
const POD_STREAM_SUBRESOURCES: readonly SubresourceEntry[] = [
  { name: 'attach', group: '', version: 'v1', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
  { name: 'exec', group: '', version: 'v1', kind: 'PodExecOptions', verbs: ['create', 'get'] },
  { name: 'portforward', group: '', version: 'v1', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
  // kubectl drain looks for this entry (with its group and version) before it evicts; without it
  // drain falls back to plain deletes.
  { name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
];

/** serviceaccounts/token (serviceaccount/token-request.ts): `kubectl create token`. */
const SERVICE_ACCOUNT_TOKEN: SubresourceEntry = { name: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] };

function subresourcesOf(info: KindInfo): SubresourceEntry[] {
  const entries: SubresourceEntry[] = [];
  if (info.subresources.scale) entries.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale' });
  if (info.subresources.status) entries.push({ name: 'status', group: info.group, version: info.version, kind: info.kind });
  if (info.group === '' && info.resource === 'pods') entries.push(...POD_STREAM_SUBRESOURCES);
  if (info.group === '' && info.resource === 'serviceaccounts') entries.push(SERVICE_ACCOUNT_TOKEN);
  return entries;
}

function withOptionalLists(info: KindInfo): { shortNames?: string[]; categories?: string[] } {
  return {
    ...(info.shortNames.length > 0 ? { shortNames: [...info.shortNames] } : {}),
    ...(info.categories.length > 0 ? { categories: [...info.categories] } : {}),
  };
}

export class DiscoveryDocuments {
  readonly #groups = new Map<string, GroupEntry>();
  /** Groups served by code (metrics.k8s.io), listed after the registry's; one version each. */
  readonly #static: readonly StaticApiGroup[];

  constructor(options: { registry: ApiRegistryView; staticGroups?: readonly StaticApiGroup[] }) {
    // Groups keep the order the registry serves them in (kubectl resolves ambiguous short names
    // by group order), with the core group apart.
    for (const resource of options.registry.resources) {
      const info = resource.strategy.info;
      let group = this.#groups.get(info.group);
      if (!group) {
        group = { name: info.group, versions: [], kinds: new Map() };
        this.#groups.set(info.group, group);
      }
      let kinds = group.kinds.get(info.version);
      if (!kinds) {
        kinds = [];
        group.kinds.set(info.version, kinds);
        group.versions.push(info.version);
        group.versions.sort(compareVersionPriority);
      }
      kinds.push(info);
    }
    // A registry kind in the same group would win; never serve a group twice.
    this.#static = (options.staticGroups ?? []).filter((group) => !this.#groups.has(group.name));
  }

  /** GET /api. `serverAddress` is host:port as the client reached us. */
  apiVersions(serverAddress: string): object {
    return {
      kind: 'APIVersions',
      versions: [...(this.#groups.get('')?.versions ?? [])],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    };
  }

  /** GET /apis. */
  apiGroupList(): object {
    const groups = [...this.#groups.values()].filter((group) => group.name !== '').map((group) => this.#groupBody(group));
    groups.push(...this.#static.map((group) => staticGroupBody(group)));
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }

  /** GET /apis/<group>; undefined for unknown groups (404). */
  apiGroup(name: string): object | undefined {
    const group = name === '' ? undefined : this.#groups.get(name);
    if (group) return { kind: 'APIGroup', apiVersion: 'v1', ...this.#groupBody(group) };
    const fixed = this.#static.find((g) => g.name === name);
    return fixed ? { kind: 'APIGroup', apiVersion: 'v1', ...staticGroupBody(fixed) } : undefined;
  }

  #groupBody(group: GroupEntry): object {
    const versions = group.versions.map((version) => ({ groupVersion: apiVersionOf(group.name, version), version }));
    return { name: group.name, versions, preferredVersion: versions[0] };
  }

  /** GET /api/v1 or /apis/<g>/<v>; undefined when that group-version is not served (404). */
  apiResourceList(group: string, version: string): object | undefined {
    const kinds = this.#groups.get(group)?.kinds.get(version);
    if (!kinds) return staticResourceList(this.#static.find((g) => g.name === group && g.version === version));
    const resources = kinds.flatMap((info) => [
      {
        name: info.resource,
        singularName: info.singular,
        namespaced: info.namespaced,
        kind: info.kind,
        verbs: [...ALL_VERBS],
        ...withOptionalLists(info),
      },
      ...subresourcesOf(info).map((sub) => ({
        name: `${info.resource}/${sub.name}`,
        singularName: '',
        namespaced: info.namespaced,
        ...(sub.group !== info.group || sub.version !== info.version ? { group: sub.group, version: sub.version } : {}),
        kind: sub.kind,
        verbs: [...(sub.verbs ?? SUBRESOURCE_VERBS)],
      })),
    ]);
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group, version), resources };
  }

  /** GET /api (root 'api': the core group only) or /apis (every other group), aggregated. */
  aggregated(root: 'api' | 'apis', version: 'v2' | 'v2beta1'): object {
    const groups = [...this.#groups.values()].filter((group) => (root === 'api' ? group.name === '' : group.name !== ''));
    const fixed = root === 'apis' ? this.#static.map((group) => staticAggregatedItem(group)) : [];
    return {
      kind: 'APIGroupDiscoveryList',
      apiVersion: `apidiscovery.k8s.io/${version}`,
      metadata: {},
      items: [...groups.map((group) => ({
        metadata: { name: group.name, creationTimestamp: null },
        versions: group.versions.map((groupVersion) => ({
          version: groupVersion,
          freshness: 'Current',
          resources: (group.kinds.get(groupVersion) ?? []).map((info) => {
            const subresources = subresourcesOf(info).map((sub) => ({
              subresource: sub.name,
              responseKind: { group: sub.group, version: sub.version, kind: sub.kind },
              verbs: [...(sub.verbs ?? SUBRESOURCE_VERBS)],
            }));
            return {
              resource: info.resource,
              responseKind: { group: info.group, version: info.version, kind: info.kind },
              scope: info.namespaced ? 'Namespaced' : 'Cluster',
              singularResource: info.singular,
              verbs: [...ALL_VERBS],
              ...withOptionalLists(info),
              ...(subresources.length > 0 ? { subresources } : {}),
            };
          }),
        })),
      })), ...fixed],
    };
  }
}

function staticGroupBody(group: StaticApiGroup): object {
  const version = { groupVersion: apiVersionOf(group.name, group.version), version: group.version };
  return { name: group.name, versions: [version], preferredVersion: version };
}

function staticResourceList(group: StaticApiGroup | undefined): object | undefined {
  if (!group) return undefined;
  const resources = group.resources.map((r) => ({ name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: [...r.verbs] }));
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group.name, group.version), resources };
}

function staticAggregatedItem(group: StaticApiGroup): object {
  return {
    metadata: { name: group.name, creationTimestamp: null },
    versions: [{
      version: group.version,
      freshness: 'Current',
      resources: group.resources.map((r) => ({
        resource: r.resource,
        responseKind: { group: group.name, version: group.version, kind: r.kind },
        scope: r.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: r.singular,
        verbs: [...r.verbs],
      })),
    }],
  };
}

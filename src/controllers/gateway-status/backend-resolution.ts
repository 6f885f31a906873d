// An HTTPRoute's ResolvedRefs condition: every backendRef must be a core Service (InvalidKind),
// in the route's namespace or allowed by a ReferenceGrant there (RefNotPermitted), that exists
// (BackendNotFound). When several refs fail, the first failing ref (in rule order) is reported.
import type { HTTPBackendRef, HTTPRoute, ReferenceGrant } from '../../api/gateway/index.js';
import { GATEWAY_GROUP, GatewayConditionReason } from '../../api/gateway/index.js';
import type { DesiredCondition } from './condition-list.js';

export interface BackendLookup {
  serviceExists(namespace: string, name: string): boolean;
  /** ReferenceGrants of one namespace. */
  grantsIn(namespace: string): readonly ReferenceGrant[];
}

/** Whether a grant in the Service's namespace lets HTTPRoutes from `fromNamespace` refer to it. */
export function grantAllows(grants: readonly ReferenceGrant[], fromNamespace: string, serviceName: string): boolean {
  return grants.some((grant) =>
    grant.spec.from.some((f) => f.group === GATEWAY_GROUP && f.kind === 'HTTPRoute' && f.namespace === fromNamespace) &&
    grant.spec.to.some((t) => t.group === '' && t.kind === 'Service' && (t.name === undefined || t.name === '' || t.name === serviceName)));
}

function checkRef(route: HTTPRoute, ref: HTTPBackendRef, lookup: BackendLookup): DesiredCondition | undefined {
  const routeNamespace = route.metadata?.namespace ?? '';
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Service';
  if (group !== '' || kind !== 'Service') {
    return { type: 'ResolvedRefs', status: 'False', reason: GatewayConditionReason.InvalidKind,
      message: `backendRef ${ref.name}: unsupported kind ${group === '' ? kind : `${kind}.${group}`}; only Service is supported` };
  }
  const namespace = ref.namespace ?? routeNamespace;
  if (namespace !== routeNamespace && !grantAllows(lookup.grantsIn(namespace), routeNamespace, ref.name)) {
    return { type: 'ResolvedRefs', status: 'False', reason: GatewayConditionReason.RefNotPermitted,
      message: `backendRef ${namespace}/${ref.name} is in another namespace and no ReferenceGrant allows it` };
  }
  if (!lookup.serviceExists(namespace, ref.name)) {
    return { type: 'ResolvedRefs', status: 'False', reason: GatewayConditionReason.BackendNotFound,
      message: `Service ${namespace}/${ref.name} not found` };
  }
  return undefined;
}

export function resolvedRefsCondition(route: HTTPRoute, lookup: BackendLookup): DesiredCondition {
  for (const rule of route.spec.rules ?? []) {
    for (const ref of rule.backendRefs ?? []) {
      const failure = checkRef(route, ref, lookup);
      if (failure) return failure;
    }
  }
  return { type: 'ResolvedRefs', status: 'True', reason: GatewayConditionReason.ResolvedRefs, message: 'All references resolved' };
}

// core/v1 Endpoints defaults (upstream: SetDefaults_EndpointPort).
import type { KubeObject } from '../object.js';
import { isUnset, recordsOf } from '../validation/json-access.js';

export function defaultEndpoints(obj: KubeObject): void {
  for (const subset of recordsOf(obj.subsets))
    for (const port of recordsOf(subset.ports)) if (isUnset(port.protocol)) port.protocol = 'TCP';
}

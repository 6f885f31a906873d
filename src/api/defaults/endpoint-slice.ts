// discovery.k8s.io/v1 EndpointSlice defaults (upstream: SetDefaults_EndpointPort: name "" and TCP).
import type { KubeObject } from '../object.js';
import { recordsOf } from '../validation/json-access.js';

export function defaultEndpointSlice(obj: KubeObject): void {
  for (const port of recordsOf(obj.ports)) {
    if (port.name === undefined || port.name === null) port.name = '';
    if (port.protocol === undefined || port.protocol === null) port.protocol = 'TCP';
  }
}

// Every built-in kind k8ts serves, in a stable order (discovery lists them in this order: core
// group first, then the named groups).
import type { ResourceStrategy } from '../strategy.js';
import { configMapStrategy } from './config-map.js';
import { deploymentStrategy } from './deployment.js';
import { endpointSliceStrategy } from './endpoint-slice.js';
import { endpointsStrategy } from './endpoints.js';
import { eventStrategy } from './event.js';
import { eventsV1EventStrategy } from './events-v1-event.js';
import { leaseStrategy } from './lease.js';
import { namespaceStrategy } from './namespace.js';
import { nodeStrategy } from './node.js';
import { podStrategy } from './pod.js';
import { replicaSetStrategy } from './replica-set.js';
import { secretStrategy } from './secret.js';
import { serviceAccountStrategy } from './service-account.js';
import { serviceStrategy } from './service.js';

export const builtinKinds: readonly ResourceStrategy[] = Object.freeze([
  namespaceStrategy,
  podStrategy,
  nodeStrategy,
  serviceStrategy,
  endpointsStrategy,
  configMapStrategy,
  secretStrategy,
  serviceAccountStrategy,
  eventStrategy,
  deploymentStrategy,
  replicaSetStrategy,
  leaseStrategy,
  eventsV1EventStrategy,
  endpointSliceStrategy,
]);

export {
  configMapStrategy,
  deploymentStrategy,
  endpointSliceStrategy,
  endpointsStrategy,
  eventStrategy,
  eventsV1EventStrategy,
  leaseStrategy,
  namespaceStrategy,
  nodeStrategy,
  podStrategy,
  replicaSetStrategy,
  secretStrategy,
  serviceAccountStrategy,
  serviceStrategy,
};

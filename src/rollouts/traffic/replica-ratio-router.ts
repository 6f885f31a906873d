// The TrafficRouter of a canary without trafficRouting: there is no route to edit, Services select
// stable and canary pods alike, so the share of traffic is the share of pods and the controller
// achieves the weight through replica counts (see controllers/rollout/canary-replicas.ts).
import type { HeaderRoute, TrafficRouter, TrafficTargets } from './traffic-router.js';

export class ReplicaRatioRouter implements TrafficRouter {
  readonly type = 'replicaRatio';
  readonly routesTraffic = false;

  async setWeight(_canaryWeight: number, _targets: TrafficTargets): Promise<void> {
    // Nothing to do: the ReplicaSet sizes are the weight.
  }

  async setHeaderRoute(_route: HeaderRoute, _targets: TrafficTargets): Promise<void> {
    // Header routing needs a router; without one Argo ignores the step too (it completes at once).
  }

  async removeManagedRoutes(_targets: TrafficTargets): Promise<void> {
    // Nothing was ever added.
  }
}

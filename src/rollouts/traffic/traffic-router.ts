// The TrafficRouter seam (DESIGN.md "The seams"): how a canary rollout shifts traffic. The Rollout
// controller says what it wants (a canary weight, a header-matched route to the canary) and the
// router makes the data plane do it: the built-in gateway through HTTPRoutes (gateway-api-router.ts),
// or nothing at all when there is no route and the weight is carried by replica counts
// (replica-ratio-router.ts).

/** The two Services of a canary and the revisions behind them. */
export interface TrafficTargets {
  readonly namespace: string | undefined;
  readonly stableService: string;
  readonly canaryService: string;
  readonly stableHash?: string;
  readonly canaryHash?: string;
  /** The weight of all traffic (Argo's trafficRouting.maxTrafficWeight): canary gets w, stable maxWeight - w. Default 100. */
  readonly maxWeight?: number;
}

/** Argo's setHeaderRoute step: a named route; without `match` it removes the route of that name. */
export interface HeaderRoute {
  readonly name: string;
  readonly match?: readonly {
    readonly headerName: string;
    readonly headerValue: { readonly exact?: string; readonly regex?: string; readonly prefix?: string };
  }[];
}

export interface TrafficRouter {
  /** `gatewayAPI` or `replicaRatio`: for logs and status. */
  readonly type: string;
  /** True when the route, not the replica ratio, carries the weight. */
  readonly routesTraffic: boolean;
  /** Sends `canaryWeight` (0..targets.maxWeight, default 100) to the canary Service and the rest to the stable one. */
  setWeight(canaryWeight: number, targets: TrafficTargets, signal?: AbortSignal): Promise<void>;
  /** Adds (or with no match, removes) a header-matched route to the canary Service. */
  setHeaderRoute(route: HeaderRoute, targets: TrafficTargets, signal?: AbortSignal): Promise<void>;
  /** Removes every route this rollout added (header routes) and leaves the weights alone. */
  removeManagedRoutes(targets: TrafficTargets, signal?: AbortSignal): Promise<void>;
  /** Whether the data plane carries `canaryWeight` now (undefined: cannot tell, assume yes). */
  verifyWeight?(canaryWeight: number, targets: TrafficTargets, signal?: AbortSignal): Promise<boolean | undefined>;
}

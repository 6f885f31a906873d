// autoscaling/v2 HorizontalPodAutoscaler defaults (upstream: SetDefaults_HorizontalPodAutoscaler in
// pkg/apis/autoscaling/v2, 1.32). An HPA with no metrics scales on CPU at 80% of requests. A
// `behavior` the user wrote gets both directions filled in, each field the user left out taking
// upstream's default (the rules the controller used before `behavior` existed); with no `behavior`
// at all nothing is added, and the controller uses those same rules anyway.
import type { KubeObject } from '../object.js';
import { ensureRecord, isNil, isRecord, type JsonRecord } from '../validation/json-access.js';

/** Upstream's autoscaling.DefaultCPUUtilization. */
export const DEFAULT_CPU_UTILIZATION = 80;

interface ScalingRulesDefaults {
  /** Absent for scale-down: the controller's --horizontal-pod-autoscaler-downscale-stabilization
   *  (5 minutes) applies, so upstream leaves the field unset rather than writing 300. */
  readonly stabilizationWindowSeconds?: number;
  readonly selectPolicy: 'Max';
  readonly policies: readonly { readonly type: 'Pods' | 'Percent'; readonly value: number; readonly periodSeconds: number }[];
}

/** Scale up by at most 4 pods or 100% (whichever is more) every 15 s, without stabilization. */
const SCALE_UP: ScalingRulesDefaults = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};

/** Scale down by up to 100% every 15 s. */
const SCALE_DOWN: ScalingRulesDefaults = {
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

export function defaultHorizontalPodAutoscaler(obj: KubeObject): void {
  const spec = ensureRecord(obj, 'spec');
  if (isNil(spec.minReplicas)) spec.minReplicas = 1;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } },
    ];
  }
  if (isRecord(spec.behavior)) {
    spec.behavior.scaleUp = withDefaults(spec.behavior.scaleUp, SCALE_UP);
    spec.behavior.scaleDown = withDefaults(spec.behavior.scaleDown, SCALE_DOWN);
  }
  // desiredReplicas has no omitempty upstream: a new HPA reads back `status: {desiredReplicas: 0}`.
  const status = ensureRecord(obj, 'status');
  if (typeof status.desiredReplicas !== 'number') status.desiredReplicas = 0;
}

/** The user's rules, each unset field (nil upstream: absent or null) taken from the defaults. */
function withDefaults(rules: unknown, defaults: ScalingRulesDefaults): JsonRecord {
  const given = isRecord(rules) ? rules : {};
  const out: JsonRecord = { ...given };
  if (isNil(given.stabilizationWindowSeconds)) {
    if (defaults.stabilizationWindowSeconds === undefined) delete out.stabilizationWindowSeconds;
    else out.stabilizationWindowSeconds = defaults.stabilizationWindowSeconds;
  }
  if (isNil(given.selectPolicy)) out.selectPolicy = defaults.selectPolicy;
  // A nil list takes the defaults; an empty one is the user's (and validation refuses it).
  if (isNil(given.policies)) out.policies = defaults.policies.map((policy) => ({ ...policy }));
  return out;
}

// spec.behavior with every gap filled: upstream's API defaults (autoscaling/v2 defaults.go) plus
// the controller's own default for the scale-down stabilization window. Applied here too so the
// controller behaves the same whether or not the API server defaulted the object.
import type { HorizontalPodAutoscalerBehavior, HPAScalingRules } from 'kubernetes-types/autoscaling/v2.js';

export type SelectPolicy = 'Max' | 'Min' | 'Disabled';

export interface ScalingPolicy {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

export interface ScalingRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: SelectPolicy;
  readonly policies: readonly ScalingPolicy[];
}

export interface ScalingBehavior {
  readonly scaleUp: ScalingRules;
  readonly scaleDown: ScalingRules;
}

/** Scale up by at most 4 pods or 100%, whichever is more, per 15 s; no stabilization. */
const DEFAULT_SCALE_UP: ScalingRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
};

/** Scale down by up to 100% per 15 s; the window comes from the controller (300 s). */
const DEFAULT_SCALE_DOWN_POLICIES: readonly ScalingPolicy[] = [{ type: 'Percent', value: 100, periodSeconds: 15 }];

function selectPolicyOf(value: string | undefined, fallback: SelectPolicy): SelectPolicy {
  return value === 'Max' || value === 'Min' || value === 'Disabled' ? value : fallback;
}

function policiesOf(rules: HPAScalingRules | undefined, fallback: readonly ScalingPolicy[]): readonly ScalingPolicy[] {
  if (rules?.policies === undefined) return fallback;
  return rules.policies
    .filter((p) => p.type === 'Pods' || p.type === 'Percent')
    .map((p) => ({ type: p.type as 'Pods' | 'Percent', value: p.value, periodSeconds: p.periodSeconds }));
}

export function resolveBehavior(behavior: HorizontalPodAutoscalerBehavior, downscaleStabilizationSeconds: number): ScalingBehavior {
  const up = behavior.scaleUp;
  const down = behavior.scaleDown;
  return {
    scaleUp: {
      stabilizationWindowSeconds: up?.stabilizationWindowSeconds ?? DEFAULT_SCALE_UP.stabilizationWindowSeconds,
      selectPolicy: selectPolicyOf(up?.selectPolicy, DEFAULT_SCALE_UP.selectPolicy),
      policies: policiesOf(up, DEFAULT_SCALE_UP.policies),
    },
    scaleDown: {
      stabilizationWindowSeconds: down?.stabilizationWindowSeconds ?? downscaleStabilizationSeconds,
      selectPolicy: selectPolicyOf(down?.selectPolicy, 'Max'),
      policies: policiesOf(down, DEFAULT_SCALE_DOWN_POLICIES),
    },
  };
}

/** The longest policy period: older scale events no longer limit anything. */
export function longestPolicyPeriodSeconds(rules: ScalingRules): number {
  return rules.policies.reduce((longest, p) => Math.max(longest, p.periodSeconds), 0);
}

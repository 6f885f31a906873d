// autoscaling/v1 HorizontalPodAutoscaler: the autoscaling/v2 objects seen through the older API
// (hpa-v1-conversion.ts), as upstream serves both versions of one stored object. kubectl 1.32's
// `kubectl autoscale` creates HPAs only through v1 (in protobuf); everything else kubectl does uses
// the preferred version, v2. Validation is v2's, on the converted object, as upstream validates
// the internal (v2-shaped) object whatever version was written.
import type { KubeObject } from '../../../api/object.js';
import { ensureRecord, isNil } from '../../../api/validation/json-access.js';
import { validateHorizontalPodAutoscaler } from '../../../api/validation/horizontal-pod-autoscaler.js';
import { horizontalPodAutoscalerTable } from '../../tables/horizontal-pod-autoscaler-table.js';
import type { ResourceStrategy } from '../strategy.js';
import { horizontalPodAutoscalerStrategy } from './horizontal-pod-autoscaler.js';
import { hpaV1ToV2, hpaV2ToV1 } from './hpa-v1-conversion.js';

/** Upstream's autoscaling/v1 defaults: only minReplicas (no CPU target is written in v1). */
function defaultHorizontalPodAutoscalerV1(obj: KubeObject): void {
  const spec = ensureRecord(obj, 'spec');
  if (isNil(spec.minReplicas)) spec.minReplicas = 1;
}

export const horizontalPodAutoscalerV1Strategy: ResourceStrategy = {
  info: { ...horizontalPodAutoscalerStrategy.info, version: 'v1' },
  defaults: defaultHorizontalPodAutoscalerV1,
  validate: (obj, old) => validateHorizontalPodAutoscaler(hpaV1ToV2(obj), old === undefined ? undefined : hpaV1ToV2(old)),
  // The table is computed from the v2 object, so both versions print the same rows.
  table: { columns: horizontalPodAutoscalerTable.columns, cells: (obj, now) => horizontalPodAutoscalerTable.cells(hpaV1ToV2(obj), now) },
  fieldSelectors: {},
  storage: { group: 'autoscaling', resource: 'horizontalpodautoscalers', toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1 },
};

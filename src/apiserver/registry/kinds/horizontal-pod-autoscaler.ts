// autoscaling/v2 HorizontalPodAutoscaler: status subresource (the HPA controller writes it);
// generation tracks spec changes so status.observedGeneration means something. Short name `hpa`.
// The same objects are also served as autoscaling/v1 (horizontal-pod-autoscaler-v1.ts), the
// version `kubectl autoscale` 1.32 creates them with.
import { defaultHorizontalPodAutoscaler } from '../../../api/defaults/horizontal-pod-autoscaler.js';
import { validateHorizontalPodAutoscaler } from '../../../api/validation/horizontal-pod-autoscaler.js';
import { horizontalPodAutoscalerTable } from '../../tables/horizontal-pod-autoscaler-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const horizontalPodAutoscalerStrategy: ResourceStrategy = {
  info: {
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    listKind: 'HorizontalPodAutoscalerList',
    resource: 'horizontalpodautoscalers',
    singular: 'horizontalpodautoscaler',
    namespaced: true,
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: { status: true },
    tracksGeneration: true,
  },
  defaults: defaultHorizontalPodAutoscaler,
  validate: validateHorizontalPodAutoscaler,
  table: horizontalPodAutoscalerTable,
  fieldSelectors: {},
};

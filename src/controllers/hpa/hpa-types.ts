// The HorizontalPodAutoscaler as controllers hold it (kubernetes-types has no index signature).
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import type { KubeObject } from '../../api/object.js';

export type HpaObject = HorizontalPodAutoscaler & KubeObject;

/** Thrown for what upstream reports as a metric computation error; its message is upstream's text. */
export class MetricComputationError extends Error {
  readonly code = 'MetricComputation';
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'MetricComputationError';
  }
}

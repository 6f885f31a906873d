// k8s.io.api.autoscaling.v1 HorizontalPodAutoscaler: what `kubectl autoscale` 1.32 sends (its typed
// client writes autoscaling/v1 in protobuf). Field numbers are from upstream's
// autoscaling/v1/generated.proto (release-1.32). minReplicas and the CPU percentages are Go
// pointers, so their zero is kept; v1's replica counts have no omitempty.
import { KEEP, int32, int64, message, string, sub, time, type MessageDescriptor } from './message-descriptor.js';
import { objectMeta } from './meta-v1.js';

const P = 'k8s.io.api.autoscaling.v1';

const crossVersionObjectReference = message(`${P}.CrossVersionObjectReference`, {
  1: string('kind', KEEP),
  2: string('name', KEEP),
  3: string('apiVersion'),
});

const horizontalPodAutoscalerSpec = message(`${P}.HorizontalPodAutoscalerSpec`, {
  1: sub('scaleTargetRef', () => crossVersionObjectReference),
  2: int32('minReplicas', KEEP),
  3: int32('maxReplicas', KEEP),
  4: int32('targetCPUUtilizationPercentage', KEEP),
});

const horizontalPodAutoscalerStatus = message(`${P}.HorizontalPodAutoscalerStatus`, {
  1: int64('observedGeneration', KEEP),
  2: time('lastScaleTime'),
  3: int32('currentReplicas', KEEP),
  4: int32('desiredReplicas', KEEP),
  5: int32('currentCPUUtilizationPercentage', KEEP),
});

export const horizontalPodAutoscalerV1: MessageDescriptor = message(`${P}.HorizontalPodAutoscaler`, {
  1: sub('metadata', () => objectMeta),
  2: sub('spec', () => horizontalPodAutoscalerSpec),
  3: sub('status', () => horizontalPodAutoscalerStatus),
});

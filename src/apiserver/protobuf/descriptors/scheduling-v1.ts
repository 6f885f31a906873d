// k8s.io.api.scheduling.v1 PriorityClass: what `kubectl create priorityclass` sends (field numbers
// from k8s.io/api/scheduling/v1/generated.proto). value has no omitempty in Go (a class of value 0
// is real) and preemptionPolicy is a pointer, so both keep their zero values.
import { KEEP, bool, int32, message, string, sub, type MessageDescriptor } from './message-descriptor.js';
import { objectMeta } from './meta-v1.js';

export const priorityClass: MessageDescriptor = message('k8s.io.api.scheduling.v1.PriorityClass', {
  1: sub('metadata', () => objectMeta),
  2: int32('value', KEEP),
  3: bool('globalDefault'),
  4: string('description'),
  5: string('preemptionPolicy', KEEP),
});

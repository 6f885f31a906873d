// k8s.io.apimachinery.pkg.apis.meta.v1 messages reachable from the kinds we decode.
import { KEEP, bool, int64, list, map, message, string, strings, time, type MessageDescriptor } from './message-descriptor.js';

const P = 'k8s.io.apimachinery.pkg.apis.meta.v1';

export const ownerReference: MessageDescriptor = message(`${P}.OwnerReference`, {
  5: string('apiVersion', KEEP),
  1: string('kind', KEEP),
  3: string('name', KEEP),
  4: string('uid', KEEP),
  6: bool('controller', KEEP),
  7: bool('blockOwnerDeletion', KEEP),
});

// managedFields (17) is deliberately absent: clients do not send it on create, and the server
// computes it; unknown fields are skipped.
export const objectMeta: MessageDescriptor = message(`${P}.ObjectMeta`, {
  1: string('name'),
  2: string('generateName'),
  3: string('namespace'),
  4: string('selfLink'),
  5: string('uid'),
  6: string('resourceVersion'),
  7: int64('generation'),
  8: time('creationTimestamp'),
  9: time('deletionTimestamp'),
  10: int64('deletionGracePeriodSeconds', KEEP),
  11: map('labels'),
  12: map('annotations'),
  13: list('ownerReferences', () => ownerReference),
  14: strings('finalizers'),
});

export const labelSelectorRequirement: MessageDescriptor = message(`${P}.LabelSelectorRequirement`, {
  1: string('key', KEEP),
  2: string('operator', KEEP),
  3: strings('values'),
});

export const labelSelector: MessageDescriptor = message(`${P}.LabelSelector`, {
  1: map('matchLabels'),
  2: list('matchExpressions', () => labelSelectorRequirement),
});

export const condition: MessageDescriptor = message(`${P}.Condition`, {
  1: string('type', KEEP),
  2: string('status', KEEP),
  3: int64('observedGeneration'),
  4: time('lastTransitionTime'),
  5: string('reason', KEEP),
  6: string('message', KEEP),
});

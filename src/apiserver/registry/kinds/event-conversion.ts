// core/v1 Event <-> events.k8s.io/v1 Event. Upstream keeps one stored object (the core shape) and
// converts field by field (pkg/apis/events/v1/conversion.go): involvedObject <-> regarding,
// message <-> note, source <-> deprecatedSource, firstTimestamp/lastTimestamp/count <->
// deprecatedFirstTimestamp/deprecatedLastTimestamp/deprecatedCount, reportingComponent <->
// reportingController. reason, type, action, related, series, eventTime, reportingInstance and
// metadata are the same in both. Nothing is synthesized, so a round trip returns the same object.
import type { KubeObject } from '../../../api/object.js';

/** core field -> events.k8s.io field; everything else is carried over as it is. */
const RENAMES: readonly (readonly [core: string, events: string])[] = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
  ['reportingComponent', 'reportingController'],
];

function rename(obj: KubeObject, pairs: readonly (readonly [from: string, to: string])[], apiVersion: string): KubeObject {
  const out: Record<string, unknown> = { apiVersion, kind: 'Event' };
  const renamed = new Map(pairs);
  for (const [field, value] of Object.entries(obj)) {
    if (field === 'apiVersion' || field === 'kind' || value === undefined) continue;
    out[renamed.get(field) ?? field] = value;
  }
  return out;
}

export function coreEventToEventsV1(core: KubeObject): KubeObject {
  return rename(core, RENAMES, 'events.k8s.io/v1');
}

export function eventsV1ToCoreEvent(event: KubeObject): KubeObject {
  return rename(event, RENAMES.map(([core, events]) => [events, core] as const), 'v1');
}

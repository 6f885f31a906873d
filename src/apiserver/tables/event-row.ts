// The Event table shared by core/v1 and events.k8s.io/v1 Events (upstream prints both from the one
// internal Event type): LAST SEEN TYPE REASON OBJECT MESSAGE | SUBOBJECT SOURCE FIRST SEEN COUNT NAME.
import type { TableColumn } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { nameColumn, tableColumn, wideColumn } from './table-column.js';

/** An Event in the internal (core-shaped) vocabulary; each API version maps its fields onto this. */
export interface EventFields {
  readonly name: string;
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly regarding: { readonly kind?: string; readonly name?: string; readonly fieldPath?: string };
  readonly sourceComponent: string;
  readonly sourceHost: string;
  readonly reportingController: string;
  readonly reportingInstance: string;
  readonly firstTimestamp: string | undefined;
  readonly lastTimestamp: string | undefined;
  readonly eventTime: string | undefined;
  readonly count: number;
  readonly series: { readonly count: number; readonly lastObservedTime: string | undefined } | undefined;
}

export const eventColumns: readonly TableColumn[] = [
  tableColumn('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
  tableColumn('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
  tableColumn('Reason', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
  tableColumn('Object', 'The object that this event is about.'),
  wideColumn('Subobject', 'The field of the object this event is about (e.g. spec.containers{name}).'),
  wideColumn('Source', 'The component reporting this event.'),
  tableColumn('Message', 'A human-readable description of the status of this operation.'),
  wideColumn('First Seen', 'The time at which the event was first recorded.'),
  wideColumn('Count', 'The number of times this event has occurred.'),
  { ...nameColumn, priority: 1 },
];

/** `Source`: component (or reporting controller), then `, host` (or reporting instance) if any. */
function formatSource(e: EventFields): string {
  const component = e.sourceComponent || e.reportingController;
  const instance = e.sourceHost || e.reportingInstance;
  return instance ? `${component}, ${instance}` : component;
}

export function eventCells(e: EventFields, now: Date): unknown[] {
  // Events written with only the new API carry eventTime instead of first/lastTimestamp.
  const firstSeen = e.firstTimestamp ? translateTimestampSince(e.firstTimestamp, now) : translateTimestampSince(e.eventTime, now);
  let lastSeen = e.lastTimestamp ? translateTimestampSince(e.lastTimestamp, now) : firstSeen;
  let count = e.count;
  if (e.series) {
    lastSeen = translateTimestampSince(e.series.lastObservedTime, now);
    count = e.series.count;
  } else if (count === 0) {
    count = 1; // singleton events of the new API have no count
  }
  const kind = (e.regarding.kind ?? '').toLowerCase();
  const object = e.regarding.name ? `${kind}/${e.regarding.name}` : kind;
  return [lastSeen, e.type, e.reason, object, e.regarding.fieldPath ?? '', formatSource(e), e.message.trim(), firstSeen, count, e.name];
}

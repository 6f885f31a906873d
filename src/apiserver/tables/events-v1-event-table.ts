// `kubectl get events.events.k8s.io`: the same table as core Events, its fields mapped the way
// upstream converts events.k8s.io/v1 to the internal Event (regarding -> involvedObject, note ->
// message, deprecated* -> the old timestamps, count and source).
import type { Event } from 'kubernetes-types/events/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { eventCells, eventColumns } from './event-row.js';

export const eventsV1EventTable: TableConvertor = {
  columns: eventColumns,
  cells(obj: KubeObject, now: Date): unknown[] {
    const e = obj as unknown as Event;
    return eventCells(
      {
        name: e.metadata?.name ?? '',
        type: e.type ?? '',
        reason: e.reason ?? '',
        message: e.note ?? '',
        regarding: e.regarding ?? {},
        sourceComponent: e.deprecatedSource?.component ?? '',
        sourceHost: e.deprecatedSource?.host ?? '',
        reportingController: e.reportingController ?? '',
        reportingInstance: e.reportingInstance ?? '',
        firstTimestamp: e.deprecatedFirstTimestamp,
        lastTimestamp: e.deprecatedLastTimestamp,
        eventTime: e.eventTime,
        count: e.deprecatedCount ?? 0,
        series: e.series ? { count: e.series.count, lastObservedTime: e.series.lastObservedTime } : undefined,
      },
      now,
    );
  },
};

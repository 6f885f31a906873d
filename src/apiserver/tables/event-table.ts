// `kubectl get events` (core/v1 Event): LAST SEEN TYPE REASON OBJECT MESSAGE (+ wide columns).
import type { Event } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { eventCells, eventColumns } from './event-row.js';

export const eventTable: TableConvertor = {
  columns: eventColumns,
  cells(obj: KubeObject, now: Date): unknown[] {
    const e = obj as unknown as Event;
    return eventCells(
      {
        name: e.metadata?.name ?? '',
        type: e.type ?? '',
        reason: e.reason ?? '',
        message: e.message ?? '',
        regarding: e.involvedObject ?? {},
        sourceComponent: e.source?.component ?? '',
        sourceHost: e.source?.host ?? '',
        reportingController: e.reportingComponent ?? '',
        reportingInstance: e.reportingInstance ?? '',
        firstTimestamp: e.firstTimestamp,
        lastTimestamp: e.lastTimestamp,
        eventTime: e.eventTime ?? undefined,
        count: e.count ?? 0,
        series: e.series ? { count: e.series.count ?? 0, lastObservedTime: e.series.lastObservedTime } : undefined,
      },
      now,
    );
  },
};

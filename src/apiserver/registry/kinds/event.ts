// core/v1 Event. No status; selectable by the object it is about (what `kubectl describe` uses).
import type { Event } from 'kubernetes-types/core/v1.js';
import { defaultEvent } from '../../../api/defaults/event.js';
import { validateEvent } from '../../../api/validation/event.js';
import { eventTable } from '../../tables/event-table.js';
import type { ResourceStrategy } from '../strategy.js';
import { pathField, pathFields } from './field-value.js';

export const eventStrategy: ResourceStrategy = {
  info: {
    group: '',
    version: 'v1',
    kind: 'Event',
    listKind: 'EventList',
    resource: 'events',
    singular: 'event',
    namespaced: true,
    shortNames: ['ev'],
    categories: [],
    subresources: { status: false },
    tracksGeneration: false,
  },
  defaults: defaultEvent,
  validate: validateEvent,
  table: eventTable,
  fieldSelectors: {
    ...pathFields(
      ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((f) => `involvedObject.${f}`),
    ),
    reason: pathField('reason'),
    reportingComponent: pathField('reportingComponent'),
    // The old source component, or the reporting controller of events written with the new API.
    source: (obj) => (obj as unknown as Event).source?.component || ((obj as unknown as Event).reportingComponent ?? ''),
    type: pathField('type'),
  },
};

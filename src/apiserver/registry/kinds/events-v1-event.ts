// events.k8s.io/v1 Event: the core Events seen through the events.k8s.io API, as upstream serves
// them (one stored object in the core shape, converted on every read and write by
// event-conversion.ts), with the field selectors of its own vocabulary (regarding.*,
// reportingController).
import { defaultEventsV1Event } from '../../../api/defaults/events-v1-event.js';
import { validateEventsV1Event } from '../../../api/validation/events-v1-event.js';
import { eventsV1EventTable } from '../../tables/events-v1-event-table.js';
import type { ResourceStrategy } from '../strategy.js';
import { coreEventToEventsV1, eventsV1ToCoreEvent } from './event-conversion.js';
import { pathField, pathFields } from './field-value.js';

export const eventsV1EventStrategy: ResourceStrategy = {
  info: {
    group: 'events.k8s.io',
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
  defaults: defaultEventsV1Event,
  validate: validateEventsV1Event,
  table: eventsV1EventTable,
  fieldSelectors: {
    ...pathFields(['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((f) => `regarding.${f}`)),
    reason: pathField('reason'),
    reportingController: pathField('reportingController'),
    type: pathField('type'),
  },
  storage: { group: '', resource: 'events', toStorage: eventsV1ToCoreEvent, fromStorage: coreEventToEventsV1 },
};

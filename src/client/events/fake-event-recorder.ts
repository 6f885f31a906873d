// FakeEventRecorder: keeps every recorded Event in memory for assertions in unit tests.
import type { KubeObject } from '../../api/object.js';
import type { EventRecorder, EventType } from './event-recorder.js';

export interface RecordedEvent {
  readonly object: KubeObject;
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
}

export class FakeEventRecorder implements EventRecorder {
  readonly events: RecordedEvent[] = [];

  event(object: KubeObject, type: EventType, reason: string, message: string): void {
    this.events.push({ object: structuredClone(object), type, reason, message });
  }

  /** Reasons in order, e.g. `['SuccessfulCreate', 'SuccessfulCreate']`. */
  reasons(): string[] {
    return this.events.map((event) => event.reason);
  }

  clear(): void {
    this.events.length = 0;
  }
}

// EventRecorder: how components emit core/v1 Events (`kubectl describe`, `kubectl get events`).
import type { KubeObject } from '../../api/object.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  /**
   * Records an Event about `object` (involvedObject). Repeats of the same (object, type, reason,
   * message) within a short window bump `count` and `lastTimestamp` instead of creating new Events,
   * as upstream does. Never throws and never blocks the caller; failures are logged.
   */
  event(object: KubeObject, type: EventType, reason: string, message: string): void;
}

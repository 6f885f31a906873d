// events.k8s.io/v1 Event defaults: upstream defines none for this kind. The function exists so every kind
// plugs into the registry the same way.
import type { KubeObject } from '../object.js';

export function defaultEventsV1Event(_obj: KubeObject): void {
  // Nothing to default.
}

// core/v1 ServiceAccount defaults: upstream defines none for this kind. The function exists so every kind
// plugs into the registry the same way.
import type { KubeObject } from '../object.js';

export function defaultServiceAccount(_obj: KubeObject): void {
  // Nothing to default.
}

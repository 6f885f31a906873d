// core/v1 ConfigMap defaults: upstream defines none for this kind. The function exists so every kind
// plugs into the registry the same way.
import type { KubeObject } from '../object.js';

export function defaultConfigMap(_obj: KubeObject): void {
  // Nothing to default.
}

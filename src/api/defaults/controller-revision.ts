// apps/v1 ControllerRevision defaults: none upstream, but `revision` is an int64 without omitempty,
// so a revision created without one is revision 0 and reads back as such.
import type { KubeObject } from '../object.js';
import { isNil } from '../validation/json-access.js';

export function defaultControllerRevision(obj: KubeObject): void {
  if (isNil(obj['revision'])) obj['revision'] = 0;
}

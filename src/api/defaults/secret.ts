// core/v1 Secret defaults: type Opaque (SetDefaults_Secret), and the v1 conversion that merges the
// write-only `stringData` into `data` (base64) and drops it.
import type { KubeObject } from '../object.js';
import { isRecord, isUnset } from '../validation/json-access.js';

export function defaultSecret(obj: KubeObject): void {
  if (isUnset(obj.type)) obj.type = 'Opaque';
  const stringData = obj.stringData;
  if (isRecord(stringData)) {
    const data: Record<string, unknown> = isRecord(obj.data) ? obj.data : {};
    for (const [key, value] of Object.entries(stringData))
      if (typeof value === 'string') data[key] = Buffer.from(value, 'utf8').toString('base64');
    if (Object.keys(data).length > 0) obj.data = data;
  }
  delete obj.stringData;
}

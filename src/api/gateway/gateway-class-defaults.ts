// GatewayClass defaults (the CRD's `default:` values).
import type { KubeObject } from '../object.js';
import { defaultPendingConditions } from './pending-status.js';

export function defaultGatewayClass(obj: KubeObject): void {
  defaultPendingConditions(obj, ['Accepted']);
}

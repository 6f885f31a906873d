// Gateway defaults (the CRD's `default:` values, standard channel).
import type { KubeObject } from '../object.js';
import { ensureRecord, isRecord, recordOf, recordsOf, type JsonRecord } from '../validation/json-access.js';
import { defaultPendingConditions } from './pending-status.js';
import { GATEWAY_GROUP } from './well-known.js';

function setIfAbsent(record: JsonRecord, key: string, value: unknown): void {
  if (record[key] === undefined || record[key] === null) record[key] = value;
}

function defaultListener(listener: JsonRecord): void {
  // allowedRoutes defaults to {namespaces: {from: Same}}; a given one gets namespaces.from Same.
  if (listener.allowedRoutes === undefined || listener.allowedRoutes === null) listener.allowedRoutes = {};
  const allowed = recordOf(listener.allowedRoutes);
  if (allowed) {
    if (allowed.namespaces === undefined || allowed.namespaces === null) allowed.namespaces = {};
    const namespaces = recordOf(allowed.namespaces);
    if (namespaces) setIfAbsent(namespaces, 'from', 'Same');
    for (const kind of recordsOf(allowed.kinds)) setIfAbsent(kind, 'group', GATEWAY_GROUP);
  }
  const tls = recordOf(listener.tls);
  if (tls) {
    setIfAbsent(tls, 'mode', 'Terminate');
    for (const ref of recordsOf(tls.certificateRefs)) {
      setIfAbsent(ref, 'group', '');
      setIfAbsent(ref, 'kind', 'Secret');
    }
  }
}

function defaultGatewayTls(tls: JsonRecord): void {
  const clientCert = recordOf(recordOf(tls.backend)?.clientCertificateRef);
  if (clientCert) {
    setIfAbsent(clientCert, 'group', '');
    setIfAbsent(clientCert, 'kind', 'Secret');
  }
  const frontend = recordOf(tls.frontend);
  if (!frontend) return;
  const configs = [recordOf(frontend.default), ...recordsOf(frontend.perPort).map((p) => recordOf(p.tls))];
  for (const config of configs) {
    const validation = recordOf(config?.validation);
    if (validation) setIfAbsent(validation, 'mode', 'AllowValidOnly');
  }
}

export function defaultGateway(obj: KubeObject): void {
  const spec = recordOf(obj.spec);
  if (spec) {
    for (const listener of recordsOf(spec.listeners)) defaultListener(listener);
    for (const address of recordsOf(spec.addresses)) setIfAbsent(address, 'type', 'IPAddress');
    const allowedListeners = recordOf(spec.allowedListeners);
    if (allowedListeners) {
      const namespaces = isRecord(allowedListeners.namespaces) ? allowedListeners.namespaces : ensureRecord(allowedListeners, 'namespaces');
      setIfAbsent(namespaces, 'from', 'None');
    }
    const tls = recordOf(spec.tls);
    if (tls) defaultGatewayTls(tls);
  }
  defaultPendingConditions(obj, ['Accepted', 'Programmed']);
  const status = recordOf(obj.status);
  for (const address of recordsOf(status?.addresses)) setIfAbsent(address, 'type', 'IPAddress');
  for (const listener of recordsOf(status?.listeners))
    for (const kind of recordsOf(listener.supportedKinds)) setIfAbsent(kind, 'group', GATEWAY_GROUP);
}

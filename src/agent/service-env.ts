// The Service environment variables every container gets (upstream kubelet's getServiceEnvVarMap
// and pkg/kubelet/envvars FromServices). For each Service with a cluster IP in the pod's namespace
// (only when spec.enableServiceLinks is not false), and always for `kubernetes` in `default`:
//   REDIS_PRIMARY_SERVICE_HOST=10.43.0.11           REDIS_PRIMARY_SERVICE_PORT=6379   (first port)
//   REDIS_PRIMARY_SERVICE_PORT_<PORTNAME>=6379      (every named port)
//   REDIS_PRIMARY_PORT=tcp://10.43.0.11:6379        (docker links, first port)
//   REDIS_PRIMARY_PORT_6379_TCP=tcp://10.43.0.11:6379, ..._PROTO=tcp, ..._PORT=6379, ..._ADDR=10.43.0.11
// Names are upper-cased with '-' turned into '_'.
import type { Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';

export type ServiceObject = Service & KubeObject;

export interface EnvPair {
  readonly name: string;
  readonly value: string;
}

/** The Services kubelet always exposes from the default namespace ("master services"). */
const MASTER_SERVICES = new Set(['kubernetes']);

function envName(name: string): string {
  return name.replaceAll('-', '_').toUpperCase();
}

/** Upstream's IsServiceIPSet: headless ("None") and ExternalName (no IP) Services give nothing. */
function hasClusterIP(svc: ServiceObject): boolean {
  const ip = svc.spec?.clusterIP ?? '';
  return ip !== '' && ip !== 'None';
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The variables of one Service, in upstream's order. */
export function serviceEnvVars(svc: ServiceObject): EnvPair[] {
  const ports = svc.spec?.ports ?? [];
  const ip = svc.spec?.clusterIP ?? '';
  const first = ports[0];
  if (!hasClusterIP(svc) || first === undefined) return [];
  const prefix = envName(svc.metadata?.name ?? '');
  const out: EnvPair[] = [{ name: `${prefix}_SERVICE_HOST`, value: ip }, { name: `${prefix}_SERVICE_PORT`, value: String(first.port) }];
  for (const port of ports) {
    if (port.name) out.push({ name: `${prefix}_SERVICE_PORT_${envName(port.name)}`, value: String(port.port) });
  }
  ports.forEach((port, i) => {
    const protocol = (port.protocol ?? 'TCP').toLowerCase();
    const url = `${protocol}://${hostPort(ip, port.port)}`;
    if (i === 0) out.push({ name: `${prefix}_PORT`, value: url });
    const portPrefix = `${prefix}_PORT_${port.port}_${protocol.toUpperCase()}`;
    out.push(
      { name: portPrefix, value: url },
      { name: `${portPrefix}_PROTO`, value: protocol },
      { name: `${portPrefix}_PORT`, value: String(port.port) },
      { name: `${portPrefix}_ADDR`, value: ip },
    );
  });
  return out;
}

export interface ServiceEnvInput {
  /** pod.spec.enableServiceLinks (absent means true, the API default). */
  readonly enableServiceLinks: boolean;
  /** The Services of the pod's namespace. */
  readonly namespaceServices: readonly ServiceObject[];
  /** The Services of `default` (may be the same list when the pod lives there). */
  readonly defaultServices: readonly ServiceObject[];
}

/** Upstream's getServiceEnvVarMap: name -> value; a namespace Service beats a same-named master service. */
export function serviceEnvMap(input: ServiceEnvInput): Map<string, string> {
  const chosen = new Map<string, ServiceObject>();
  for (const svc of input.defaultServices) {
    const name = svc.metadata?.name ?? '';
    if (hasClusterIP(svc) && MASTER_SERVICES.has(name)) chosen.set(name, svc);
  }
  if (input.enableServiceLinks) {
    for (const svc of input.namespaceServices) {
      if (!hasClusterIP(svc)) continue;
      // A same-named Service in the pod's own namespace replaces the master service, as upstream.
      chosen.set(svc.metadata?.name ?? '', svc);
    }
  }
  const env = new Map<string, string>();
  for (const name of [...chosen.keys()].sort()) {
    const svc = chosen.get(name);
    if (svc) for (const pair of serviceEnvVars(svc)) env.set(pair.name, pair.value);
  }
  return env;
}

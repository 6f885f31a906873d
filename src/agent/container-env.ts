// A container's environment: env values with $(VAR) expansion, envFrom, configMapKeyRef,
// secretKeyRef, fieldRef and resourceFieldRef, as upstream kubelet's makeEnvironmentVariables.
// ConfigMaps and Secrets are read through the client (ConfigSource); a missing non-optional
// reference is a ContainerConfigError (status CreateContainerConfigError, as upstream).
import type { Container, EnvVar } from 'kubernetes-types/core/v1.js';
import type { ConfigMapObject, PodObject, SecretObject } from './object-types.js';
import { tryParseQuantity } from '../api/quantity.js';
import { serviceEnvMap, type ServiceObject } from './service-env.js';
import type { TokenRequester } from './service-account-token.js';

export interface ConfigSource {
  configMap(namespace: string, name: string): Promise<ConfigMapObject | undefined>;
  secret(namespace: string, name: string): Promise<SecretObject | undefined>;
  /** The Services of a namespace, for the service environment variables; absent: none are set. */
  services?(namespace: string): Promise<readonly ServiceObject[]>;
  /** A TokenRequest for a ServiceAccount (projected token volumes); absent: those volumes fail. */
  serviceAccountToken?: TokenRequester;
}

/** What the agent could not resolve; the container waits with reason CreateContainerConfigError. */
export class ContainerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

export interface EnvContext {
  readonly pod: PodObject;
  readonly container: Container;
  readonly source: ConfigSource;
  readonly hostIP: string;
  readonly podIP?: string;
  /** Node allocatable, the value of limits.* a container does not set. */
  readonly nodeAllocatable: { readonly cpu: number; readonly memory: number };
}

export interface EnvEntry {
  readonly name: string;
  readonly value: string;
}

/**
 * Upstream's expansion (third_party/forked/golang/expansion): `$(NAME)` becomes the value of a
 * variable defined earlier, `$$` is an escaped `$`, and unknown references stay as written.
 */
export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      const value = lookup(name);
      out += value ?? `$(${name})`;
      i = close;
    } else {
      out += '$' + next;
      i++;
    }
  }
  return out;
}

function decodeSecret(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}

/** `metadata.labels['app']` -> ['labels', 'app']. */
const SUBSCRIPT_RE = /^metadata\.(labels|annotations)\['(.+)'\]$/;

function formatMap(map: Readonly<Record<string, string>> | undefined): string {
  return Object.keys(map ?? {}).sort().map((k) => `${k}="${map?.[k] ?? ''}"`).join('\n');
}

export function fieldRefValue(ctx: Pick<EnvContext, 'pod' | 'hostIP' | 'podIP'>, fieldPath: string): string {
  const { pod } = ctx;
  const meta = pod.metadata ?? {};
  const subscript = SUBSCRIPT_RE.exec(fieldPath);
  if (subscript) {
    const map = subscript[1] === 'labels' ? meta.labels : meta.annotations;
    return map?.[subscript[2] ?? ''] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.name': return meta.name ?? '';
    case 'metadata.namespace': return meta.namespace ?? '';
    case 'metadata.uid': return meta.uid ?? '';
    case 'metadata.labels': return formatMap(meta.labels);
    case 'metadata.annotations': return formatMap(meta.annotations);
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
    case 'status.hostIPs': return ctx.hostIP;
    case 'status.podIP':
    case 'status.podIPs': return ctx.podIP ?? '';
    default: throw new ContainerConfigError(`unsupported fieldPath: ${fieldPath}`);
  }
}

function resourceValue(ctx: EnvContext, resource: string, divisorText: string | undefined): string {
  const resources = ctx.container.resources ?? {};
  const [kind, name] = resource.split('.') as [string, string | undefined];
  const table = kind === 'limits' ? resources.limits : resources.requests;
  const raw = name ? table?.[name] : undefined;
  let value = raw === undefined ? undefined : tryParseQuantity(raw);
  if (value === undefined) {
    if (kind === 'limits' && name === 'cpu') value = ctx.nodeAllocatable.cpu;
    else if (kind === 'limits' && name === 'memory') value = ctx.nodeAllocatable.memory;
    else value = 0;
  }
  const divisor = tryParseQuantity(divisorText ?? '1') ?? 1;
  return String(Math.ceil(value / (divisor === 0 ? 1 : divisor)));
}

async function valueFrom(ctx: EnvContext, env: EnvVar): Promise<string | undefined> {
  const from = env.valueFrom;
  const namespace = ctx.pod.metadata?.namespace ?? 'default';
  if (!from) return env.value ?? '';
  if (from.fieldRef) return fieldRefValue(ctx, from.fieldRef.fieldPath);
  if (from.resourceFieldRef) return resourceValue(ctx, from.resourceFieldRef.resource, from.resourceFieldRef.divisor);
  if (from.configMapKeyRef) {
    const ref = from.configMapKeyRef;
    const name = ref.name ?? '';
    const cm = await ctx.source.configMap(namespace, name);
    if (!cm) {
      if (ref.optional) return undefined;
      throw new ContainerConfigError(`configmap "${name}" not found`);
    }
    const value = cm.data?.[ref.key] ?? (cm.binaryData?.[ref.key] !== undefined ? decodeSecret(cm.binaryData[ref.key] ?? '') : undefined);
    if (value === undefined && !ref.optional) throw new ContainerConfigError(`couldn't find key ${ref.key} in ConfigMap ${namespace}/${name}`);
    return value;
  }
  if (from.secretKeyRef) {
    const ref = from.secretKeyRef;
    const name = ref.name ?? '';
    const secret = await ctx.source.secret(namespace, name);
    if (!secret) {
      if (ref.optional) return undefined;
      throw new ContainerConfigError(`secret "${name}" not found`);
    }
    const data = secret.data?.[ref.key];
    const value = data !== undefined ? decodeSecret(data) : secret.stringData?.[ref.key];
    if (value === undefined && !ref.optional) throw new ContainerConfigError(`couldn't find key ${ref.key} in Secret ${namespace}/${name}`);
    return value;
  }
  return '';
}

/** The service environment (service-env.ts) of the pod's namespace, plus the master services. */
async function serviceEnv(ctx: EnvContext, namespace: string): Promise<Map<string, string>> {
  const list = ctx.source.services?.bind(ctx.source);
  if (!list) return new Map();
  try {
    const namespaceServices = await list(namespace);
    const defaultServices = namespace === 'default' ? namespaceServices : await list('default');
    return serviceEnvMap({ enableServiceLinks: ctx.pod.spec?.enableServiceLinks !== false, namespaceServices, defaultServices });
  } catch (error) {
    throw new ContainerConfigError(`failed to list services when setting up env vars: ${(error as Error).message}`);
  }
}

/**
 * The container's environment in upstream order: envFrom sources, then env (later names win), then
 * the service variables the pod did not define itself. `$(VAR)` may name a service variable.
 */
export async function resolveEnv(ctx: EnvContext): Promise<EnvEntry[]> {
  const values = new Map<string, string>();
  const namespace = ctx.pod.metadata?.namespace ?? 'default';
  const services = await serviceEnv(ctx, namespace);
  for (const from of ctx.container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const name = from.configMapRef.name ?? '';
      const cm = await ctx.source.configMap(namespace, name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${name}" not found`);
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) values.set(prefix + k, v);
    } else if (from.secretRef) {
      const name = from.secretRef.name ?? '';
      const secret = await ctx.source.secret(namespace, name);
      if (!secret) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${name}" not found`);
      }
      for (const [k, v] of Object.entries(secret.data ?? {})) values.set(prefix + k, decodeSecret(v));
    }
  }
  for (const env of ctx.container.env ?? []) {
    const raw = await valueFrom(ctx, env);
    if (raw === undefined) continue;
    // Only literal values expand references, and only to variables defined before them.
    values.set(env.name, env.valueFrom ? raw : expandVars(raw, (n) => values.get(n) ?? services.get(n)));
  }
  for (const [name, value] of services) if (!values.has(name)) values.set(name, value);
  return [...values].map(([name, value]) => ({ name, value }));
}

/** command and args with $(VAR) references expanded against the container's environment. */
export function expandCommand(words: readonly string[] | undefined, env: readonly EnvEntry[]): string[] {
  const lookup = new Map(env.map((e) => [e.name, e.value]));
  return (words ?? []).map((w) => expandVars(w, (n) => lookup.get(n)));
}

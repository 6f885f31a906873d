// Which cluster and namespace `k8ts rollout` talks to, resolved as kubectl does: --kubeconfig,
// else the first existing file of $KUBECONFIG (a path list), else ~/.kube/config; --context, else
// the current-context; -n, else the context's namespace, else "default".
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import type { HttpClientSetOptions } from '../client/http/http-client-set.js';
import { loadKubeconfig } from '../client/http/load-kubeconfig.js';
import { UsageError } from './usage-error.js';

export interface RolloutConnection {
  readonly client: HttpClientSetOptions;
  readonly namespace: string;
  /** The kubeconfig file used, for error messages. */
  readonly kubeconfig: string;
}

export interface ConnectionFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
}

export function kubeconfigPath(flags: ConnectionFlags, env: Readonly<Record<string, string | undefined>>, home = homedir()): string {
  if (flags.kubeconfig !== undefined) return flags.kubeconfig;
  const fromEnv = (env['KUBECONFIG'] ?? '').split(delimiter).filter((path) => path !== '');
  const existing = fromEnv.find((path) => existsSync(path));
  if (existing !== undefined) return existing;
  return join(home, '.kube', 'config');
}

/** The namespace of the chosen context, when it names one. */
function contextNamespace(path: string, context: string | undefined): string | undefined {
  const config = (parse(readFileSync(path, 'utf8')) ?? {}) as { 'current-context'?: unknown; contexts?: unknown };
  const name = context ?? config['current-context'];
  if (!Array.isArray(config.contexts)) return undefined;
  const entry = (config.contexts as { name?: unknown; context?: { namespace?: unknown } }[]).find((item) => item.name === name);
  const namespace = entry?.context?.namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}

export function resolveRolloutConnection(flags: ConnectionFlags, env: Readonly<Record<string, string | undefined>>): RolloutConnection {
  const path = kubeconfigPath(flags, env);
  if (!existsSync(path)) {
    throw new UsageError(`no kubeconfig at ${path}: pass --kubeconfig FILE or set KUBECONFIG (k8ts server writes DATA_DIR/kubeconfig)`);
  }
  let client: HttpClientSetOptions;
  try {
    client = loadKubeconfig(path, flags.context !== undefined ? { context: flags.context } : {});
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const namespace = flags.namespace ?? contextNamespace(path, flags.context) ?? 'default';
  return { client: { ...client, userAgent: 'k8ts-rollout' }, namespace, kubeconfig: path };
}

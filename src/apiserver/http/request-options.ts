// Query parameters (and the DeleteOptions body) into the registry's option shapes. Invalid values
// are the client's mistake: BadRequestError (400) naming the parameter.
import { BadRequestError } from '../../lib/errors.js';
import type {
  DeleteOptions,
  FieldValidation,
  ListQuery,
  PatchOptions,
  WatchQuery,
  WriteOptions,
} from '../registry/registry-types.js';

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function nonNegativeInteger(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new BadRequestError(`invalid ${name} parameter ${JSON.stringify(raw)}: must be a non-negative integer`);
  return Number(raw);
}

function booleanParam(params: URLSearchParams, name: string): boolean | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  if (raw === '' || raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new BadRequestError(`invalid ${name} parameter ${JSON.stringify(raw)}: must be true or false`);
}

export function isWatchRequest(params: URLSearchParams): boolean {
  const raw = params.get('watch');
  return raw === '1' || raw === 'true';
}

/** dryRun accepts only `All` (upstream: "Invalid dry run value"); repeated is allowed. */
function dryRunFrom(values: readonly string[]): boolean {
  for (const value of values) {
    if (value !== 'All') throw new BadRequestError(`invalid dryRun value ${JSON.stringify(value)}: only "All" is supported`);
  }
  return values.length > 0;
}

const FIELD_VALIDATIONS: readonly FieldValidation[] = ['Strict', 'Warn', 'Ignore'];

export function parseListQuery(params: URLSearchParams): ListQuery {
  const match = params.get('resourceVersionMatch');
  if (match !== null && match !== '' && match !== 'NotOlderThan' && match !== 'Exact') {
    throw new BadRequestError(`invalid resourceVersionMatch ${JSON.stringify(match)}: must be NotOlderThan or Exact`);
  }
  const resourceVersionMatch: ListQuery['resourceVersionMatch'] = match === 'NotOlderThan' || match === 'Exact' ? match : undefined;
  return {
    ...optional('labelSelector', params.get('labelSelector') ?? undefined),
    ...optional('fieldSelector', params.get('fieldSelector') ?? undefined),
    ...optional('limit', nonNegativeInteger(params, 'limit')),
    ...optional('continue', params.get('continue') || undefined),
    ...optional('resourceVersion', params.get('resourceVersion') ?? undefined),
    ...optional('resourceVersionMatch', resourceVersionMatch),
  };
}

export interface ParsedWatch {
  readonly query: Omit<WatchQuery, 'signal'>;
  /** timeoutSeconds: the server ends the stream after this long (clients then re-watch). */
  readonly timeoutSeconds?: number;
}

/** `name` (a watch on an item URL) narrows the watch to that object, like upstream. */
export function parseWatchQuery(params: URLSearchParams, name?: string): ParsedWatch {
  const fieldSelectors = [params.get('fieldSelector') ?? '', name !== undefined ? `metadata.name=${name}` : '']
    .filter((selector) => selector !== '')
    .join(',');
  return {
    query: {
      ...optional('labelSelector', params.get('labelSelector') ?? undefined),
      ...optional('fieldSelector', fieldSelectors === '' ? undefined : fieldSelectors),
      ...optional('resourceVersion', params.get('resourceVersion') ?? undefined),
      ...optional('allowWatchBookmarks', booleanParam(params, 'allowWatchBookmarks')),
      ...optional('sendInitialEvents', booleanParam(params, 'sendInitialEvents')),
    },
    ...optional('timeoutSeconds', nonNegativeInteger(params, 'timeoutSeconds')),
  };
}

/**
 * Upstream's default field manager when the request names none: the User-Agent up to its first
 * '/' (`kubectl/v1.32.4 (linux/amd64) ...` -> `kubectl`).
 */
export function fieldManagerFromUserAgent(userAgent: string | undefined): string | undefined {
  const prefix = userAgent?.split('/')[0]?.trim();
  return prefix === undefined || prefix === '' ? undefined : prefix.slice(0, 128);
}

export function parseWriteOptions(params: URLSearchParams, userAgent?: string): WriteOptions {
  const validation = params.get('fieldValidation');
  if (validation !== null && validation !== '' && !(FIELD_VALIDATIONS as readonly string[]).includes(validation)) {
    throw new BadRequestError(`invalid fieldValidation directive ${JSON.stringify(validation)}: must be one of Strict, Warn, Ignore`);
  }
  return {
    dryRun: dryRunFrom(params.getAll('dryRun')),
    ...optional('fieldManager', params.get('fieldManager') ?? fieldManagerFromUserAgent(userAgent)),
    // Upstream's default when the parameter is absent is Warn (kubectl always sends it).
    fieldValidation: validation === null || validation === '' ? 'Warn' : (validation as FieldValidation),
  };
}

/** `userAgent` supplies the default field manager; leave it out for apply, which must name one. */
export function parsePatchOptions(params: URLSearchParams, userAgent?: string): PatchOptions {
  return { ...parseWriteOptions(params, userAgent), ...optional('force', booleanParam(params, 'force')) };
}

const PROPAGATION_POLICIES = ['Orphan', 'Background', 'Foreground'] as const;
type PropagationPolicy = (typeof PROPAGATION_POLICIES)[number];

function propagationPolicy(value: unknown): PropagationPolicy | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && (PROPAGATION_POLICIES as readonly string[]).includes(value)) return value as PropagationPolicy;
  throw new BadRequestError(`invalid propagationPolicy ${JSON.stringify(value)}: must be one of Orphan, Background, Foreground`);
}

/**
 * DeleteOptions come from the JSON body (kubectl) or query parameters (curl, client-node); the
 * body wins where both are given. `orphanDependents` is the deprecated spelling of Orphan.
 */
export function parseDeleteOptions(params: URLSearchParams, body: unknown): DeleteOptions {
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    throw new BadRequestError('DeleteOptions body must be a JSON object');
  }
  const options = (body ?? {}) as Record<string, unknown>;
  const bodyDryRun = options.dryRun;
  if (bodyDryRun !== undefined && bodyDryRun !== null && !(Array.isArray(bodyDryRun) && bodyDryRun.every((v) => typeof v === 'string'))) {
    throw new BadRequestError('DeleteOptions.dryRun must be a list of strings');
  }
  const grace = options.gracePeriodSeconds ?? nonNegativeInteger(params, 'gracePeriodSeconds');
  if (grace !== undefined && grace !== null && (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0)) {
    throw new BadRequestError('DeleteOptions.gracePeriodSeconds must be a non-negative integer');
  }
  let policy = propagationPolicy(options.propagationPolicy ?? params.get('propagationPolicy'));
  if (policy === undefined) {
    const orphan = options.orphanDependents ?? booleanParam(params, 'orphanDependents');
    if (orphan === true) policy = 'Orphan';
  }
  const preconditions = options.preconditions as { uid?: unknown; resourceVersion?: unknown } | undefined | null;
  const uid = typeof preconditions?.uid === 'string' ? preconditions.uid : undefined;
  const resourceVersion = typeof preconditions?.resourceVersion === 'string' ? preconditions.resourceVersion : undefined;
  return {
    dryRun: dryRunFrom([...((bodyDryRun) ?? []), ...params.getAll('dryRun')]),
    ...optional('gracePeriodSeconds', typeof grace === 'number' ? grace : undefined),
    ...optional('propagationPolicy', policy),
    ...(uid !== undefined || resourceVersion !== undefined
      ? { preconditions: { ...optional('uid', uid), ...optional('resourceVersion', resourceVersion) } }
      : {}),
  };
}

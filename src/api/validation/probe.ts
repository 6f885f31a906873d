// Probe and lifecycle-handler validation (upstream: pkg/apis/core/validation, validateProbe,
// validateHandler and friends).
import { forbidden, invalid, notSupported, required, type FieldError } from '../field-error.js';
import { goIntOrString, invalidRendered } from './go-value.js';
import { arrayOf, isRecord, numberOf, stringOf, type JsonRecord } from './json-access.js';
import { isValidPortName, isValidPortNum } from './name-rules.js';

export const NEGATIVE_MESSAGE = 'must be greater than or equal to 0';

/** Upstream's ValidateNonnegativeField for an optional integer field. */
export function validateNonNegative(value: unknown, path: string): FieldError[] {
  const n = numberOf(value);
  return n !== undefined && n < 0 ? [invalid(path, n, NEGATIVE_MESSAGE)] : [];
}

/** A port given as a number or an IANA service name (probes, targetPort). */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((msg) => invalid(path, port, msg));
  if (typeof port === 'string') return isValidPortName(port).map((msg) => invalid(path, port, msg));
  return [invalidRendered(path, goIntOrString(port), 'unknown type')];
}

type HandlerKind = 'exec' | 'httpGet' | 'tcpSocket' | 'grpc' | 'sleep';

function validateAction(kind: HandlerKind, action: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (kind) {
    case 'exec':
      if (arrayOf(action.command).length === 0) errs.push(required(`${path}.command`));
      break;
    case 'httpGet':
      if (stringOf(action.path) === '') errs.push(required(`${path}.path`));
      errs.push(...validatePortNumOrName(action.port, `${path}.port`));
      if (action.scheme !== 'HTTP' && action.scheme !== 'HTTPS')
        errs.push(notSupported(`${path}.scheme`, stringOf(action.scheme), ['HTTP', 'HTTPS']));
      break;
    case 'tcpSocket':
      errs.push(...validatePortNumOrName(action.port, `${path}.port`));
      break;
    case 'grpc': {
      const port = numberOf(action.port) ?? 0;
      for (const msg of isValidPortNum(port)) errs.push(invalid(`${path}.port`, port, msg));
      break;
    }
    case 'sleep': {
      const seconds = numberOf(action.seconds) ?? 0;
      if (seconds <= 0) errs.push(invalid(`${path}.seconds`, seconds, 'must be greater than 0'));
      break;
    }
  }
  return errs;
}

/** Exactly one handler among `kinds`; each checked for its own required fields. */
export function validateHandler(handler: JsonRecord, path: string, kinds: readonly HandlerKind[]): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const kind of kinds) {
    const action = handler[kind];
    if (!isRecord(action)) continue;
    if (count > 0) {
      errs.push(forbidden(`${path}.${kind}`, 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    errs.push(...validateAction(kind, action, `${path}.${kind}`));
  }
  if (count === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

export function validateProbe(probe: unknown, path: string): FieldError[] {
  if (!isRecord(probe)) return [];
  const errs = validateHandler(probe, path, ['exec', 'httpGet', 'tcpSocket', 'grpc']);
  for (const field of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'])
    errs.push(...validateNonNegative(probe[field], `${path}.${field}`));
  const grace = numberOf(probe.terminationGracePeriodSeconds);
  if (grace !== undefined && grace <= 0)
    errs.push(invalid(`${path}.terminationGracePeriodSeconds`, grace, 'must be greater than 0'));
  return errs;
}

export function validateLifecycle(lifecycle: unknown, path: string): FieldError[] {
  if (!isRecord(lifecycle)) return [];
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) {
    const handler = lifecycle[hook];
    if (isRecord(handler)) errs.push(...validateHandler(handler, `${path}.${hook}`, ['exec', 'httpGet', 'tcpSocket', 'sleep']));
  }
  return errs;
}

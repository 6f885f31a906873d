// Containers and init containers of a PodSpec (upstream: validateContainers,
// validateInitContainers, validateContainerCommon).
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../field-error.js';
import { notFound } from './go-value.js';
import { validateEnv, validateEnvFrom } from './env.js';
import { isRecord, numberOf, recordsOf, stringOf, type JsonRecord } from './json-access.js';
import { isDns1123Label, isValidPortName, isValidPortNum } from './name-rules.js';
import { validateLifecycle, validateProbe } from './probe.js';
import { validateResourceRequirements } from './resources.js';
import { validateLocalDescendingPath } from './volumes.js';

export const SUPPORTED_PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];

export interface ContainerContext {
  /** Declared volume names, for volumeMounts. */
  readonly volumes: ReadonlySet<string>;
  /** Container names seen so far across containers and initContainers (uniqueness is pod-wide). */
  readonly names: Set<string>;
  /** Whether this is a Pod (not a template): image whitespace is then checked too. */
  readonly forPod: boolean;
}

function validatePorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  recordsOf(ports).forEach((port, i) => {
    const portPath = `${path}[${i}]`;
    const name = stringOf(port.name);
    if (name !== '') {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) for (const msg of msgs) errs.push(invalid(`${portPath}.name`, name, msg));
      else if (names.has(name)) errs.push(duplicate(`${portPath}.name`, name));
      else names.add(name);
    }
    const containerPort = numberOf(port.containerPort) ?? 0;
    if (containerPort === 0) errs.push(required(`${portPath}.containerPort`));
    else for (const msg of isValidPortNum(containerPort)) errs.push(invalid(`${portPath}.containerPort`, containerPort, msg));
    const hostPort = numberOf(port.hostPort) ?? 0;
    if (hostPort !== 0) for (const msg of isValidPortNum(hostPort)) errs.push(invalid(`${portPath}.hostPort`, hostPort, msg));
    const protocol = stringOf(port.protocol);
    if (protocol === '') errs.push(required(`${portPath}.protocol`));
    else if (!SUPPORTED_PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(`${portPath}.protocol`, protocol, SUPPORTED_PORT_PROTOCOLS));
  });
  return errs;
}

function validateVolumeMounts(mounts: unknown, volumes: ReadonlySet<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  recordsOf(mounts).forEach((mount, i) => {
    const mountPath = `${path}[${i}]`;
    const name = stringOf(mount.name);
    if (name === '') errs.push(required(`${mountPath}.name`));
    if (!volumes.has(name)) errs.push(notFound(`${mountPath}.name`, name));
    const target = stringOf(mount.mountPath);
    if (target === '') errs.push(required(`${mountPath}.mountPath`));
    if (mountPoints.has(target)) errs.push(invalid(`${mountPath}.mountPath`, target, 'must be unique'));
    mountPoints.add(target);
    // Upstream reports subPath problems at the list's path, not the item's.
    const subPath = stringOf(mount.subPath);
    if (subPath !== '') errs.push(...validateLocalDescendingPath(subPath, `${path}.subPath`));
    const subPathExpr = stringOf(mount.subPathExpr);
    if (subPathExpr !== '') {
      if (subPath !== '') errs.push(invalid(`${mountPath}.subPathExpr`, subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(subPathExpr, `${path}.subPathExpr`));
    }
  });
  return errs;
}

function validateCommon(container: JsonRecord, path: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  const name = stringOf(container.name);
  if (name === '') errs.push(required(`${path}.name`));
  else for (const msg of isDns1123Label(name)) errs.push(invalid(`${path}.name`, name, msg));
  if (ctx.names.has(name)) errs.push(duplicate(`${path}.name`, name));
  ctx.names.add(name);

  const image = stringOf(container.image);
  if (image === '') errs.push(required(`${path}.image`));
  else if (ctx.forPod && image.trim() !== image)
    errs.push(invalid(`${path}.image`, image, 'must not have leading or trailing whitespace'));

  const policy = stringOf(container.terminationMessagePolicy);
  if (policy === '') errs.push(required(`${path}.terminationMessagePolicy`, "must be 'File' or 'FallbackToLogsOnError'"));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(policy))
    errs.push(notSupported(`${path}.terminationMessagePolicy`, policy, TERMINATION_MESSAGE_POLICIES));

  errs.push(...validatePorts(container.ports, `${path}.ports`));
  errs.push(...validateEnv(container.env, `${path}.env`));
  errs.push(...validateEnvFrom(container.envFrom, `${path}.envFrom`));
  errs.push(...validateVolumeMounts(container.volumeMounts, ctx.volumes, `${path}.volumeMounts`));

  const pullPolicy = stringOf(container.imagePullPolicy);
  if (pullPolicy === '') errs.push(required(`${path}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(pullPolicy)) errs.push(notSupported(`${path}.imagePullPolicy`, pullPolicy, PULL_POLICIES));

  errs.push(...validateResourceRequirements(container.resources, `${path}.resources`));
  return errs;
}

function validateProbesAndLifecycle(container: JsonRecord, path: string): FieldError[] {
  const errs = validateLifecycle(container.lifecycle, `${path}.lifecycle`);
  for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const probe = container[kind];
    errs.push(...validateProbe(probe, `${path}.${kind}`));
    // Liveness and startup probes stop at the first success, so a higher threshold is meaningless.
    if (kind !== 'readinessProbe' && isRecord(probe)) {
      const threshold = numberOf(probe.successThreshold) ?? 0;
      if (threshold !== 1) errs.push(invalid(`${path}.${kind}.successThreshold`, threshold, 'must be 1'));
    }
  }
  return errs;
}

/** Host ports must be unique per protocol and host IP across the given containers. */
function validateHostPorts(containers: readonly JsonRecord[], path: string, seen: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((container, ci) => {
    recordsOf(container.ports).forEach((port, pi) => {
      const hostPort = numberOf(port.hostPort) ?? 0;
      if (hostPort === 0) return;
      const key = `${stringOf(port.protocol)}/${stringOf(port.hostIP)}/${hostPort}`;
      if (seen.has(key)) errs.push(duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return errs;
}

export function validateContainers(value: unknown, path: string, ctx: ContainerContext): FieldError[] {
  const containers = recordsOf(value);
  if (containers.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  containers.forEach((container, i) => {
    const itemPath = `${path}[${i}]`;
    errs.push(...validateCommon(container, itemPath, ctx));
    errs.push(...validateProbesAndLifecycle(container, itemPath));
    if (container.restartPolicy !== undefined && container.restartPolicy !== null)
      errs.push(forbidden(`${itemPath}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errs.push(...validateHostPorts(containers, path, new Set()));
  return errs;
}

export function validateInitContainers(value: unknown, path: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  const containers = recordsOf(value);
  containers.forEach((container, i) => {
    const itemPath = `${path}[${i}]`;
    errs.push(...validateCommon(container, itemPath, ctx));
    const restartPolicy = container.restartPolicy;
    if (restartPolicy === 'Always') {
      // A restartable init container is a sidecar: probes and lifecycle are allowed.
      errs.push(...validateProbesAndLifecycle(container, itemPath));
    } else {
      if (restartPolicy !== undefined && restartPolicy !== null)
        errs.push(notSupported(`${itemPath}.restartPolicy`, restartPolicy, ['Always']));
      for (const kind of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'])
        if (isRecord(container[kind]))
          errs.push(forbidden(`${itemPath}.${kind}`, 'may not be set for init containers without restartPolicy=Always'));
    }
  });
  errs.push(...validateHostPorts(containers, path, new Set()));
  return errs;
}

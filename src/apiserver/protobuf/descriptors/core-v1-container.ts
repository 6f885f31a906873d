// k8s.io.api.core.v1 Container and what it reaches: ports, env, resources, mounts, probes,
// lifecycle hooks and the container security context.
import {
  KEEP, bool, inline, int32, int64, intOrString, list, map, message, quantity, string, strings, sub,
  type MessageDescriptor,
} from './message-descriptor.js';

const P = 'k8s.io.api.core.v1';

/** Embedded (inline) in the key selectors and env sources: contributes a flat `name`. */
export const localObjectReference: MessageDescriptor = message(`${P}.LocalObjectReference`, {
  1: string('name'),
});

export const containerPort: MessageDescriptor = message(`${P}.ContainerPort`, {
  1: string('name'),
  2: int32('hostPort'),
  3: int32('containerPort', KEEP),
  4: string('protocol'),
  5: string('hostIP'),
});

export const objectFieldSelector: MessageDescriptor = message(`${P}.ObjectFieldSelector`, {
  1: string('apiVersion'),
  2: string('fieldPath', KEEP),
});

export const resourceFieldSelector: MessageDescriptor = message(`${P}.ResourceFieldSelector`, {
  1: string('containerName'),
  2: string('resource', KEEP),
  3: quantity('divisor'),
});

const configMapKeySelector = message(`${P}.ConfigMapKeySelector`, {
  1: inline(() => localObjectReference),
  2: string('key', KEEP),
  3: bool('optional', KEEP),
});

const secretKeySelector = message(`${P}.SecretKeySelector`, {
  1: inline(() => localObjectReference),
  2: string('key', KEEP),
  3: bool('optional', KEEP),
});

const envVarSource = message(`${P}.EnvVarSource`, {
  1: sub('fieldRef', () => objectFieldSelector),
  2: sub('resourceFieldRef', () => resourceFieldSelector),
  3: sub('configMapKeyRef', () => configMapKeySelector),
  4: sub('secretKeyRef', () => secretKeySelector),
});

const envVar = message(`${P}.EnvVar`, {
  1: string('name', KEEP),
  2: string('value'),
  3: sub('valueFrom', () => envVarSource),
});

const configMapEnvSource = message(`${P}.ConfigMapEnvSource`, {
  1: inline(() => localObjectReference),
  2: bool('optional', KEEP),
});

const secretEnvSource = message(`${P}.SecretEnvSource`, {
  1: inline(() => localObjectReference),
  2: bool('optional', KEEP),
});

const envFromSource = message(`${P}.EnvFromSource`, {
  1: string('prefix'),
  2: sub('configMapRef', () => configMapEnvSource),
  3: sub('secretRef', () => secretEnvSource),
});

const resourceClaim = message(`${P}.ResourceClaim`, {
  1: string('name', KEEP),
  2: string('request'),
});

export const resourceRequirements: MessageDescriptor = message(`${P}.ResourceRequirements`, {
  1: map('limits', 'quantity'),
  2: map('requests', 'quantity'),
  3: list('claims', () => resourceClaim),
});

const containerResizePolicy = message(`${P}.ContainerResizePolicy`, {
  1: string('resourceName', KEEP),
  2: string('restartPolicy', KEEP),
});

const volumeMount = message(`${P}.VolumeMount`, {
  1: string('name', KEEP),
  2: bool('readOnly'),
  7: string('recursiveReadOnly', KEEP),
  3: string('mountPath', KEEP),
  4: string('subPath'),
  5: string('mountPropagation', KEEP),
  6: string('subPathExpr'),
});

const volumeDevice = message(`${P}.VolumeDevice`, {
  1: string('name', KEEP),
  2: string('devicePath', KEEP),
});

const execAction = message(`${P}.ExecAction`, {
  1: strings('command'),
});

const httpHeader = message(`${P}.HTTPHeader`, {
  1: string('name', KEEP),
  2: string('value', KEEP),
});

const httpGetAction = message(`${P}.HTTPGetAction`, {
  1: string('path'),
  2: intOrString('port'),
  3: string('host'),
  4: string('scheme'),
  5: list('httpHeaders', () => httpHeader),
});

const tcpSocketAction = message(`${P}.TCPSocketAction`, {
  1: intOrString('port'),
  2: string('host'),
});

const grpcAction = message(`${P}.GRPCAction`, {
  1: int32('port', KEEP),
  2: string('service', KEEP),
});

const sleepAction = message(`${P}.SleepAction`, {
  1: int64('seconds', KEEP),
});

const probeHandler = message(`${P}.ProbeHandler`, {
  1: sub('exec', () => execAction),
  2: sub('httpGet', () => httpGetAction),
  3: sub('tcpSocket', () => tcpSocketAction),
  4: sub('grpc', () => grpcAction),
});

const probe = message(`${P}.Probe`, {
  1: inline(() => probeHandler),
  2: int32('initialDelaySeconds'),
  3: int32('timeoutSeconds'),
  4: int32('periodSeconds'),
  5: int32('successThreshold'),
  6: int32('failureThreshold'),
  7: int64('terminationGracePeriodSeconds', KEEP),
});

const lifecycleHandler = message(`${P}.LifecycleHandler`, {
  1: sub('exec', () => execAction),
  2: sub('httpGet', () => httpGetAction),
  3: sub('tcpSocket', () => tcpSocketAction),
  4: sub('sleep', () => sleepAction),
});

const lifecycle = message(`${P}.Lifecycle`, {
  1: sub('postStart', () => lifecycleHandler),
  2: sub('preStop', () => lifecycleHandler),
});

const capabilities = message(`${P}.Capabilities`, {
  1: strings('add'),
  2: strings('drop'),
});

export const seLinuxOptions: MessageDescriptor = message(`${P}.SELinuxOptions`, {
  1: string('user'),
  2: string('role'),
  3: string('type'),
  4: string('level'),
});

export const windowsSecurityContextOptions: MessageDescriptor = message(`${P}.WindowsSecurityContextOptions`, {
  1: string('gmsaCredentialSpecName', KEEP),
  2: string('gmsaCredentialSpec', KEEP),
  3: string('runAsUserName', KEEP),
  4: bool('hostProcess', KEEP),
});

/** SeccompProfile and AppArmorProfile share this shape and these field numbers. */
export const seccompProfile: MessageDescriptor = message(`${P}.SeccompProfile`, {
  1: string('type', KEEP),
  2: string('localhostProfile', KEEP),
});

export const appArmorProfile: MessageDescriptor = message(`${P}.AppArmorProfile`, {
  1: string('type', KEEP),
  2: string('localhostProfile', KEEP),
});

// Every field of SecurityContext is a Go pointer: whatever is on the wire was set.
const securityContext = message(`${P}.SecurityContext`, {
  1: sub('capabilities', () => capabilities),
  2: bool('privileged', KEEP),
  3: sub('seLinuxOptions', () => seLinuxOptions),
  10: sub('windowsOptions', () => windowsSecurityContextOptions),
  4: int64('runAsUser', KEEP),
  8: int64('runAsGroup', KEEP),
  5: bool('runAsNonRoot', KEEP),
  6: bool('readOnlyRootFilesystem', KEEP),
  7: bool('allowPrivilegeEscalation', KEEP),
  9: string('procMount', KEEP),
  11: sub('seccompProfile', () => seccompProfile),
  12: sub('appArmorProfile', () => appArmorProfile),
});

export const container: MessageDescriptor = message(`${P}.Container`, {
  1: string('name', KEEP),
  2: string('image'),
  3: strings('command'),
  4: strings('args'),
  5: string('workingDir'),
  6: list('ports', () => containerPort),
  19: list('envFrom', () => envFromSource),
  7: list('env', () => envVar),
  8: sub('resources', () => resourceRequirements),
  23: list('resizePolicy', () => containerResizePolicy),
  24: string('restartPolicy', KEEP),
  9: list('volumeMounts', () => volumeMount),
  21: list('volumeDevices', () => volumeDevice),
  10: sub('livenessProbe', () => probe),
  11: sub('readinessProbe', () => probe),
  22: sub('startupProbe', () => probe),
  12: sub('lifecycle', () => lifecycle),
  13: string('terminationMessagePath'),
  20: string('terminationMessagePolicy'),
  14: string('imagePullPolicy'),
  15: sub('securityContext', () => securityContext),
  16: bool('stdin'),
  17: bool('stdinOnce'),
  18: bool('tty'),
});

// The status the k8ts gateway reports for a Gateway of one of its classes: the address the
// built-in data plane listens on, Accepted/Programmed, and per listener the supported kinds, the
// number of attached routes and Accepted/Programmed/ResolvedRefs/Conflicted. A valid listener
// whose port the data plane could not bind is Programmed False/Pending (upstream's reason for a
// listener whose data plane is not ready), not Accepted False/PortUnavailable: the data plane keeps
// retrying, routes stay attached, and the condition turns True once the port binds.
import type { Gateway, GatewayStatus, ListenerStatus } from '../../api/gateway/index.js';
import { GatewayConditionReason as Reason } from '../../api/gateway/index.js';
import { mergeConditions, type DesiredCondition } from './condition-list.js';
import { bindFailureMessage, type BindFailures } from './listener-health.js';
import type { ListenerVerdict } from './listener-validity.js';
import { listenerRouteKinds } from './route-attachment.js';

export interface GatewayStatusInput {
  readonly gateway: Gateway;
  readonly verdicts: readonly ListenerVerdict[];
  /** Listener name -> routes accepted onto it. */
  readonly attachedRoutes: ReadonlyMap<string, number>;
  /** The address the built-in gateway binds (`--gateway-address`). */
  readonly address: string;
  /** RFC 3339 now, for new transitions. */
  readonly now: string;
  /** Ports the data plane in this process failed to bind; undefined without a data plane here. */
  readonly bindFailures?: BindFailures | undefined;
}

function condition(type: string, ok: boolean, okReason: string, badReason: string, message: string): DesiredCondition {
  return { type, status: ok ? 'True' : 'False', reason: ok ? okReason : badReason, message };
}

/** Why a valid listener is not programmed (its port did not bind), or undefined. */
function bindProblem(verdict: ListenerVerdict, input: GatewayStatusInput): string | undefined {
  const code = verdict.usable ? input.bindFailures?.get(verdict.listener.port) : undefined;
  return code === undefined ? undefined : bindFailureMessage(input.address, verdict.listener.port, code);
}

function listenerConditions(verdict: ListenerVerdict, bindFailure: string | undefined): DesiredCondition[] {
  const { unsupportedProtocol, invalidRouteKinds, conflict, certificateProblem } = verdict;
  const accepted = unsupportedProtocol
    ? condition('Accepted', false, Reason.Accepted, Reason.UnsupportedProtocol, `Protocol ${verdict.listener.protocol} is not supported; supported: HTTP, HTTPS`)
    : condition('Accepted', true, Reason.Accepted, Reason.Accepted, 'Listener accepted');
  const resolved: DesiredCondition = invalidRouteKinds
    ? { type: 'ResolvedRefs', status: 'False', reason: Reason.InvalidRouteKinds, message: 'Only HTTPRoute (gateway.networking.k8s.io) is supported' }
    : certificateProblem !== undefined
      ? { type: 'ResolvedRefs', status: 'False', reason: certificateProblem.reason, message: certificateProblem.message }
      : { type: 'ResolvedRefs', status: 'True', reason: Reason.ResolvedRefs, message: 'All references resolved' };
  const conflicted: DesiredCondition = conflict === undefined
    ? { type: 'Conflicted', status: 'False', reason: Reason.NoConflicts, message: 'No conflicts' }
    : { type: 'Conflicted', status: 'True', reason: conflict, message: 'Another listener on the same port conflicts with this one' };
  const programmed: DesiredCondition = bindFailure !== undefined
    ? { type: 'Programmed', status: 'False', reason: Reason.Pending, message: bindFailure }
    : condition('Programmed', verdict.usable, Reason.Programmed, Reason.Invalid, verdict.usable ? 'Listener programmed' : 'Listener is not valid');
  return [accepted, programmed, resolved, conflicted];
}

/** Requested addresses the built-in gateway cannot honour: another type, or another IP. */
function addressProblem(gateway: Gateway, address: string): { reason: string; message: string } | undefined {
  for (const requested of gateway.spec.addresses ?? []) {
    const type = requested.type ?? 'IPAddress';
    if (type !== 'IPAddress') return { reason: Reason.UnsupportedAddress, message: `Address type ${type} is not supported` };
    if (requested.value !== undefined && requested.value !== '' && requested.value !== address)
      return { reason: Reason.AddressNotUsable, message: `The gateway listens on ${address}, not ${requested.value}` };
  }
  return undefined;
}

function servedMessage(address: string, unbound: readonly string[]): string {
  const served = `Served by the k8ts gateway on ${address}`;
  return unbound.length === 0 ? served : `${served}; ${unbound.length} listener(s) not programmed: ${unbound.join('; ')}`;
}

export function buildGatewayStatus(input: GatewayStatusInput): GatewayStatus {
  const { gateway, verdicts, now } = input;
  const generation = gateway.metadata?.generation;
  const old = gateway.status;
  const usable = verdicts.filter((v) => v.usable).length;
  const problem = addressProblem(gateway, input.address);
  const bindFailures = verdicts.map((verdict) => bindProblem(verdict, input));
  const unbound = bindFailures.filter((failure) => failure !== undefined);

  const accepted: DesiredCondition = problem?.reason === Reason.UnsupportedAddress
    ? { type: 'Accepted', status: 'False', reason: problem.reason, message: problem.message }
    : usable === 0
      ? { type: 'Accepted', status: 'False', reason: Reason.ListenersNotValid, message: 'No listener is valid' }
      : usable < verdicts.length
        ? { type: 'Accepted', status: 'True', reason: Reason.ListenersNotValid, message: 'Some listeners are not valid' }
        : { type: 'Accepted', status: 'True', reason: Reason.Accepted, message: 'Gateway accepted by k8ts' };
  const programmed: DesiredCondition = problem !== undefined
    ? { type: 'Programmed', status: 'False', reason: problem.reason, message: problem.message }
    : accepted.status !== 'True'
      ? { type: 'Programmed', status: 'False', reason: Reason.Invalid, message: 'Gateway is not accepted' }
      : unbound.length === usable
        ? { type: 'Programmed', status: 'False', reason: Reason.Pending, message: `No listener is programmed: ${unbound[0] ?? ''}` }
        : { type: 'Programmed', status: 'True', reason: Reason.Programmed, message: servedMessage(input.address, unbound) };

  const listeners: ListenerStatus[] = verdicts.map((verdict, index) => {
    const name = verdict.listener.name;
    const oldListener = old?.listeners?.find((l) => l.name === name);
    return {
      name,
      supportedKinds: listenerRouteKinds(verdict.listener).supported,
      attachedRoutes: verdict.usable ? (input.attachedRoutes.get(name) ?? 0) : 0,
      conditions: mergeConditions(oldListener?.conditions, listenerConditions(verdict, bindFailures[index]), generation, now),
    };
  });
  const status: GatewayStatus = {
    conditions: mergeConditions(old?.conditions, [accepted, programmed], generation, now),
    listeners,
  };
  if (programmed.status === 'True') status.addresses = [{ type: 'IPAddress', value: input.address }];
  return status;
}

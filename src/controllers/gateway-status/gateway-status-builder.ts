// The status the k8ts gateway reports for a Gateway of one of its classes: the address the
// built-in data plane listens on, Accepted/Programmed, and per listener the supported kinds, the
// number of attached routes and Accepted/Programmed/ResolvedRefs/Conflicted.
import type { Gateway, GatewayStatus, ListenerStatus } from '../../api/gateway/index.js';
import { GatewayConditionReason as Reason } from '../../api/gateway/index.js';
import { mergeConditions, type DesiredCondition } from './condition-list.js';
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
}

function condition(type: string, ok: boolean, okReason: string, badReason: string, message: string): DesiredCondition {
  return { type, status: ok ? 'True' : 'False', reason: ok ? okReason : badReason, message };
}

function listenerConditions(verdict: ListenerVerdict): DesiredCondition[] {
  const { unsupportedProtocol, invalidRouteKinds, conflict } = verdict;
  const accepted = unsupportedProtocol
    ? condition('Accepted', false, Reason.Accepted, Reason.UnsupportedProtocol, `Protocol ${verdict.listener.protocol} is not supported; supported: HTTP`)
    : condition('Accepted', true, Reason.Accepted, Reason.Accepted, 'Listener accepted');
  const resolved = condition('ResolvedRefs', !invalidRouteKinds, Reason.ResolvedRefs, Reason.InvalidRouteKinds,
    invalidRouteKinds ? 'Only HTTPRoute (gateway.networking.k8s.io) is supported' : 'All references resolved');
  const conflicted: DesiredCondition = conflict === undefined
    ? { type: 'Conflicted', status: 'False', reason: Reason.NoConflicts, message: 'No conflicts' }
    : { type: 'Conflicted', status: 'True', reason: conflict, message: 'Another listener on the same port conflicts with this one' };
  const programmed = condition('Programmed', verdict.usable, Reason.Programmed, Reason.Invalid,
    verdict.usable ? 'Listener programmed' : 'Listener is not valid');
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

export function buildGatewayStatus(input: GatewayStatusInput): GatewayStatus {
  const { gateway, verdicts, now } = input;
  const generation = gateway.metadata?.generation;
  const old = gateway.status;
  const usable = verdicts.filter((v) => v.usable).length;
  const problem = addressProblem(gateway, input.address);

  const accepted: DesiredCondition = problem?.reason === Reason.UnsupportedAddress
    ? { type: 'Accepted', status: 'False', reason: problem.reason, message: problem.message }
    : usable === 0
      ? { type: 'Accepted', status: 'False', reason: Reason.ListenersNotValid, message: 'No listener is valid' }
      : usable < verdicts.length
        ? { type: 'Accepted', status: 'True', reason: Reason.ListenersNotValid, message: 'Some listeners are not valid' }
        : { type: 'Accepted', status: 'True', reason: Reason.Accepted, message: 'Gateway accepted by k8ts' };
  const programmed: DesiredCondition = problem !== undefined
    ? { type: 'Programmed', status: 'False', reason: problem.reason, message: problem.message }
    : accepted.status === 'True'
      ? { type: 'Programmed', status: 'True', reason: Reason.Programmed, message: `Served by the k8ts gateway on ${input.address}` }
      : { type: 'Programmed', status: 'False', reason: Reason.Invalid, message: 'Gateway is not accepted' };

  const listeners: ListenerStatus[] = verdicts.map((verdict) => {
    const name = verdict.listener.name;
    const oldListener = old?.listeners?.find((l) => l.name === name);
    return {
      name,
      supportedKinds: listenerRouteKinds(verdict.listener).supported,
      attachedRoutes: verdict.usable ? (input.attachedRoutes.get(name) ?? 0) : 0,
      conditions: mergeConditions(oldListener?.conditions, listenerConditions(verdict), generation, now),
    };
  });
  const status: GatewayStatus = {
    conditions: mergeConditions(old?.conditions, [accepted, programmed], generation, now),
    listeners,
  };
  if (programmed.status === 'True') status.addresses = [{ type: 'IPAddress', value: input.address }];
  return status;
}

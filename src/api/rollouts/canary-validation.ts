// Argo's canary strategy validation (ValidateRolloutStrategyCanary) with its messages. Field paths
// are the real ones (spec.strategy.canary.steps[0].setWeight) where Argo's are shortened
// (spec.strategy.steps[0].setWeight), because k8ts reports these at admission, where kubectl users
// expect a path they can find in their manifest.
import { invalid, required, type FieldError } from '../field-error.js';
import { goIntOrString, invalidRendered } from '../validation/go-value.js';
import { intOrPercentValue, validateIntOrPercent } from '../validation/int-or-percent.js';
import { numberOf, recordOf, recordsOf, stringOf, type JsonRecord } from '../validation/json-access.js';
import { validateNonNegative } from '../validation/probe.js';
import { validateAntiAffinity, validateRolloutAnalysis } from './analysis-ref-validation.js';
import { GATEWAY_API_PLUGIN } from './gateway-api-plugin.js';
import { pauseDurationSeconds } from './pause-duration.js';
import { RolloutMessage } from './rollout-messages.js';
import { RolloutDefaults } from './well-known.js';

/** The actions a step may hold, in the order Argo's message lists them. */
const STEP_ACTIONS = ['experiment', 'pause', 'setWeight', 'analysis', 'setCanaryScale', 'setHeaderRoute', 'setMirrorRoute', 'plugin'] as const;

/** Go renders these names in its error value with a capital: step.SetWeight. */
function goName(action: string): string {
  return `step.${action.charAt(0).toUpperCase()}${action.slice(1)}`;
}

const isSet = (value: unknown): boolean => value !== undefined && value !== null;

/** Traffic routers k8ts accepts in the schema (only the gateway plugin routes traffic). */
function routers(trafficRouting: JsonRecord | undefined): Set<string> {
  const names = new Set<string>();
  for (const key of ['istio', 'nginx', 'alb', 'smi', 'ambassador', 'appMesh', 'traefik', 'apisix']) {
    if (isSet(trafficRouting?.[key])) names.add(key);
  }
  if (Object.keys(recordOf(trafficRouting?.plugins) ?? {}).length > 0) names.add('plugins');
  return names;
}

/** A StringMatch must set exactly one of exact, regex, prefix (hasMultipleMatchValues). */
function validateStringMatch(value: unknown, path: string): FieldError[] {
  const match = recordOf(value);
  const set = ['exact', 'regex', 'prefix'].filter((k) => stringOf(match?.[k]) !== '');
  const rendered = JSON.stringify(value ?? null);
  if (set.length === 0) return [invalidRendered(path, rendered, RolloutMessage.invalidStringMatchMissedValue)];
  if (set.length > 1) return [invalidRendered(path, rendered, RolloutMessage.invalidStringMatchMultipleValue)];
  return [];
}

interface CanaryContext {
  readonly path: string;
  readonly trafficRouting: JsonRecord | undefined;
  readonly routers: Set<string>;
  readonly managedRoutes: string[] | undefined;
  readonly maxTrafficWeight: number;
}

function validateStep(ctx: CanaryContext, step: JsonRecord, i: number): FieldError[] {
  const path = `${ctx.path}.steps[${i}]`;
  const errs: FieldError[] = [];
  const set = STEP_ACTIONS.filter((action) => isSet(step[action]));
  if (set.length !== 1) {
    // Argo's value shows which actions are present, e.g. "step.Experiment: false step.Pause: true ...".
    const rendered = `"${STEP_ACTIONS.map((a) => `${goName(a)}: ${isSet(step[a])}`).join(' ')}"`;
    errs.push(invalidRendered(path, rendered, RolloutMessage.invalidStep));
  }
  const weight = step.setWeight;
  if (typeof weight === 'number' && (weight < 0 || weight > ctx.maxTrafficWeight)) {
    errs.push(invalid(`${path}.setWeight`, weight, RolloutMessage.invalidSetWeight(ctx.maxTrafficWeight)));
  }
  const pause = recordOf(step.pause);
  const seconds = pause === undefined ? undefined : pauseDurationSeconds(pause);
  if (seconds !== undefined && seconds < 0) errs.push(invalid(`${path}.pause.duration`, seconds, RolloutMessage.invalidDuration));
  const scale = recordOf(step.setCanaryScale);
  if (scale !== undefined) {
    if (ctx.trafficRouting === undefined) errs.push(required(`${ctx.path}.trafficRouting`, RolloutMessage.invalidSetCanaryScaleTrafficPolicy));
    errs.push(...validateNonNegative(scale.replicas, `${path}.setCanaryScale.replicas`));
    const scaleWeight = numberOf(scale.weight);
    if (scaleWeight !== undefined && (scaleWeight < 0 || scaleWeight > 100))
      errs.push(invalid(`${path}.setCanaryScale.weight`, scaleWeight, RolloutMessage.invalidSetWeight(100)));
  }
  const header = recordOf(step.setHeaderRoute);
  if (header !== undefined) {
    const supported = ['istio', 'alb', 'apisix', 'plugins'].some((r) => ctx.routers.has(r));
    if (!supported) errs.push(invalidRendered(`${path}.setHeaderRoute`, JSON.stringify(header), RolloutMessage.invalidSetHeaderRouteTrafficPolicy));
    recordsOf(header.match).forEach((match, j) => {
      const matchPath = `${path}.setHeaderRoute.match[${j}]`;
      if (stringOf(match.headerName) === '') errs.push(required(`${matchPath}.headerName`));
      if (supported) errs.push(...validateStringMatch(match.headerValue, matchPath));
    });
  }
  const mirror = recordOf(step.setMirrorRoute);
  if (mirror !== undefined) {
    if (!ctx.routers.has('istio') && !ctx.routers.has('plugins'))
      errs.push(invalidRendered(`${path}.setMirrorRoute`, JSON.stringify(mirror), RolloutMessage.invalidSetMirrorRouteTrafficPolicy));
    if (stringOf(mirror.name) === '') errs.push(required(`${path}.setMirrorRoute.name`));
    recordsOf(mirror.match).forEach((match, j) => {
      for (const key of ['method', 'path']) if (isSet(match[key])) errs.push(...validateStringMatch(match[key], `${path}.setMirrorRoute.match[${j}]`));
    });
  }
  if (ctx.trafficRouting !== undefined && (header !== undefined || mirror !== undefined)) {
    if (ctx.managedRoutes === undefined) {
      errs.push(required(`${ctx.path}.trafficRouting.managedRoutes`, RolloutMessage.missingField('spec.strategy.canary.trafficRouting.managedRoutes')));
    } else {
      for (const [key, route] of [['setHeaderRoute', header], ['setMirrorRoute', mirror]] as const) {
        const name = stringOf(route?.name);
        if (route !== undefined && !ctx.managedRoutes.includes(name))
          errs.push(invalid(`${path}.${key}`, name, RolloutMessage.stepRouteNameNotFoundInManagedRoutes));
      }
    }
  }
  const analysis = recordOf(step.analysis);
  if (analysis !== undefined) errs.push(...validateRolloutAnalysis(analysis, `${path}.analysis`));
  const plugin = recordOf(step.plugin);
  if (plugin !== undefined && stringOf(plugin.name) === '') errs.push(required(`${path}.plugin.name`));
  return errs;
}

/** The gateway plugin (k8ts's traffic router) needs both services and a route. */
function validateGatewayPlugin(canary: JsonRecord, trafficRouting: JsonRecord, path: string): FieldError[] {
  const config = recordOf(recordOf(trafficRouting.plugins)?.[GATEWAY_API_PLUGIN]);
  if (config === undefined) return [];
  const errs: FieldError[] = [];
  for (const key of ['stableService', 'canaryService']) {
    if (stringOf(canary[key]) === '') errs.push(invalid(`${path}.${key}`, '', RolloutMessage.invalidTrafficRouting));
  }
  const named = stringOf(config.httpRoute) !== '' || recordsOf(config.httpRoutes).some((r) => stringOf(r.name) !== '');
  if (!named) errs.push(invalidRendered(`${path}.trafficRouting.plugins[${GATEWAY_API_PLUGIN}]`, JSON.stringify(config), RolloutMessage.gatewayPluginNeedsRoute));
  return errs;
}

function validateTrafficRouting(canary: JsonRecord, ctx: CanaryContext): FieldError[] {
  const { path, trafficRouting } = ctx;
  const errs: FieldError[] = [];
  const scaleDownDelay = numberOf(canary.scaleDownDelaySeconds);
  if (trafficRouting === undefined) {
    if (scaleDownDelay !== undefined) errs.push(invalid(`${path}.scaleDownDelaySeconds`, scaleDownDelay, RolloutMessage.invalidCanaryScaleDownDelay));
    if (canary.dynamicStableScale === true) errs.push(invalid(`${path}.dynamicStableScale`, true, RolloutMessage.invalidCanaryDynamicStableScale));
    return errs;
  }
  if (scaleDownDelay !== undefined && canary.dynamicStableScale === true)
    errs.push(invalid(`${path}.dynamicStableScale`, true, RolloutMessage.invalidCanaryDynamicStableScaleWithScaleDownDelay));
  const maxWeight = numberOf(trafficRouting.maxTrafficWeight);
  if (maxWeight !== undefined && !ctx.routers.has('nginx') && !ctx.routers.has('plugins'))
    errs.push(invalid(`${path}.trafficRouting.maxTrafficWeight`, maxWeight, RolloutMessage.invalidCanaryMaxWeightOnlySupportInNginxAndPlugins));
  // requireCanaryStableServices: these routers need both services (ALB and Istio only without ping-pong / destinationRule).
  const pingPong = isSet(canary.pingPong);
  const needsServices = ['smi', 'apisix', 'ambassador', 'nginx', 'appMesh', 'traefik'].some((r) => ctx.routers.has(r)) ||
    (ctx.routers.has('alb') && !pingPong) ||
    (ctx.routers.has('istio') && !isSet(recordOf(trafficRouting.istio)?.destinationRule) && !pingPong);
  if (needsServices) {
    for (const key of ['stableService', 'canaryService']) {
      if (stringOf(canary[key]) === '') errs.push(invalid(`${path}.${key}`, '', RolloutMessage.invalidTrafficRouting));
    }
  }
  errs.push(...validateGatewayPlugin(canary, trafficRouting, path));
  return errs;
}

function validatePingPong(canary: JsonRecord, ctx: CanaryContext): FieldError[] {
  const pingPong = recordOf(canary.pingPong);
  if (pingPong === undefined) return [];
  const { path } = ctx;
  const errs: FieldError[] = [];
  if (ctx.trafficRouting !== undefined && !['alb', 'istio', 'plugins'].some((r) => ctx.routers.has(r)))
    errs.push(invalidRendered(`${path}.trafficRouting.alb`, 'nil', RolloutMessage.pingPongWithRouterOnly));
  const ping = stringOf(pingPong.pingService);
  const pong = stringOf(pingPong.pongService);
  if (ping === '') errs.push(invalid(`${path}.pingPong.pingService`, ping, RolloutMessage.invalidPingPongProvided));
  if (pong === '') errs.push(invalid(`${path}.pingPong.pongService`, pong, RolloutMessage.invalidPingPongProvided));
  if (ping === pong) errs.push(invalid(`${path}.pingPong.pingService`, ping, RolloutMessage.duplicatedPingPongServices));
  return errs;
}

/** spec.strategy.canary at `path`. */
export function validateCanaryStrategy(canary: JsonRecord, path: string): FieldError[] {
  const trafficRouting = recordOf(canary.trafficRouting);
  const managed = Array.isArray(trafficRouting?.managedRoutes) ? recordsOf(trafficRouting.managedRoutes).map((r) => stringOf(r.name)) : undefined;
  const ctx: CanaryContext = {
    path, trafficRouting, routers: routers(trafficRouting), managedRoutes: managed,
    maxTrafficWeight: numberOf(trafficRouting?.maxTrafficWeight) ?? RolloutDefaults.maxTrafficWeight,
  };
  const errs: FieldError[] = [];
  for (const key of ['maxSurge', 'maxUnavailable']) if (isSet(canary[key])) errs.push(...validateIntOrPercent(canary[key], `${path}.${key}`));
  const surge = intOrPercentValue(canary.maxSurge ?? RolloutDefaults.maxSurge)?.value;
  const unavailable = intOrPercentValue(canary.maxUnavailable ?? RolloutDefaults.maxUnavailable)?.value;
  if (surge === 0 && unavailable === 0)
    errs.push(invalidRendered(`${path}.maxSurge`, goIntOrString(canary.maxSurge), RolloutMessage.invalidMaxSurgeMaxUnavailable));
  const canaryService = stringOf(canary.canaryService);
  if (canaryService !== '' && canaryService === stringOf(canary.stableService))
    errs.push(invalid(`${path}.stableService`, canaryService, RolloutMessage.duplicatedServicesCanary));
  errs.push(...validatePingPong(canary, ctx));
  errs.push(...validateTrafficRouting(canary, ctx));
  for (const key of ['scaleDownDelaySeconds', 'scaleDownDelayRevisionLimit', 'abortScaleDownDelaySeconds', 'minPodsPerReplicaSet'])
    errs.push(...validateNonNegative(canary[key], `${path}.${key}`));
  recordsOf(canary.steps).forEach((step, i) => errs.push(...validateStep(ctx, step, i)));
  const background = recordOf(canary.analysis);
  if (background !== undefined) {
    errs.push(...validateRolloutAnalysis(background, `${path}.analysis`));
    errs.push(...validateNonNegative(background.startingStep, `${path}.analysis.startingStep`));
  }
  errs.push(...validateAntiAffinity(canary.antiAffinity, `${path}.antiAffinity`));
  return errs;
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { validateRollout } from './rollout-validation.js';

function canary(canaryStrategy: Record<string, unknown>, spec: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
      strategy: { canary: canaryStrategy },
      ...spec,
    },
  };
}

const messages = (obj: KubeObject): string[] => validateRollout(obj).map(formatFieldError);

void describe('validateRollout: spec', () => {
  it('accepts Argo example rollouts without pod-spec defaults written out', () => {
    assert.deepEqual(messages(canary({ steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 40 }, { pause: { duration: '40s' } }] })), []);
    assert.deepEqual(messages(canary({}, { strategy: { blueGreen: { activeService: 'a', previewService: 'p', autoPromotionEnabled: false } } })), []);
  });

  it('requires a selector unless a workloadRef provides one, and matching template labels', () => {
    const noSelector = canary({}, { selector: undefined });
    assert.deepEqual(messages(noSelector), [
      "spec.selector: Required value: Rollout has missing field '.spec.selector'",
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
    const mismatch = canary({}, { selector: { matchLabels: { app: 'other' } } });
    assert.deepEqual(messages(mismatch), [
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('takes workloadRef or a template, not both', () => {
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
    assert.deepEqual(messages(canary({}, { workloadRef: ref, template: undefined, selector: undefined })), []);
    assert.deepEqual(messages(canary({}, { workloadRef: ref })), [
      'spec.template: Forbidden: template must be empty for workload reference rollout',
    ]);
    assert.deepEqual(messages(canary({}, { workloadRef: { ...ref, name: '', scaleDown: 'sometimes' }, template: undefined })), [
      'spec.workloadRef.name: Required value',
      'spec.workloadRef.scaleDown: Unsupported value: "sometimes": supported values: "never", "onsuccess", "progressively"',
    ]);
  });

  it('checks counts and the progress deadline against minReadySeconds (default 600)', () => {
    assert.deepEqual(messages(canary({}, { replicas: -1, minReadySeconds: 700 })), [
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds',
    ]);
  });

  it('needs exactly one strategy', () => {
    assert.deepEqual(messages(canary({}, { strategy: {} })), [
      "spec.strategy: Required value: Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'",
    ]);
    assert.deepEqual(messages(canary({}, { strategy: { canary: {}, blueGreen: { activeService: 'a' } } })), [
      'spec.strategy: Invalid value: "blueGreen: true canary: true": Multiple Strategies can not be listed',
    ]);
  });
});

void describe('validateRollout: blueGreen', () => {
  const blueGreen = (bg: Record<string, unknown>, spec: Record<string, unknown> = {}) => canary({}, { strategy: { blueGreen: bg }, ...spec });

  it('needs an activeService different from the previewService', () => {
    assert.deepEqual(messages(blueGreen({ previewService: 'p' })), ['spec.strategy.blueGreen.activeService: Required value']);
    assert.deepEqual(messages(blueGreen({ activeService: 'svc', previewService: 'svc' })), [
      'spec.strategy.blueGreen.activeService: Invalid value: "svc": This rollout uses the same service for the active and preview services, but two different services are required.',
    ]);
  });

  it('keeps scaleDownDelayRevisionLimit within revisionHistoryLimit and checks anti-affinity', () => {
    assert.deepEqual(messages(blueGreen({ activeService: 'a', scaleDownDelayRevisionLimit: 3, antiAffinity: {} }, { revisionHistoryLimit: 2 })), [
      "spec.strategy.blueGreen.scaleDownDelayRevisionLimit: Invalid value: 3: This rollout's revision history limit can not be smaller than the rollout's scale down limit",
      'spec.strategy.blueGreen.antiAffinity: Invalid value: "antiAffinity.PreferredDuringSchedulingIgnoredDuringExecution: false antiAffinity.RequiredDuringSchedulingIgnoredDuringExecution: false": AntiAffinity must have exactly one strategy listed',
    ]);
    assert.deepEqual(messages(blueGreen({ activeService: 'a', antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 101 } } })), [
      'spec.strategy.blueGreen.antiAffinity.weight: Invalid value: 101: AntiAffinity weight must be between 1-100',
    ]);
  });

  it('checks the analyses it references', () => {
    assert.deepEqual(messages(blueGreen({ activeService: 'a', prePromotionAnalysis: { templates: [{}], args: [{ value: 'x' }] } })), [
      'spec.strategy.blueGreen.prePromotionAnalysis.templates[0].templateName: Required value',
      'spec.strategy.blueGreen.prePromotionAnalysis.args[0].name: Required value',
    ]);
  });
});

void describe('validateRollout: canary', () => {
  const at = 'spec.strategy.canary';

  it('needs exactly one action per step, with Argo\'s rendering of which are set', () => {
    assert.deepEqual(messages(canary({ steps: [{}, { setWeight: 10, pause: {} }] })), [
      `${at}.steps[0]: Invalid value: "step.Experiment: false step.Pause: false step.SetWeight: false step.Analysis: false step.SetCanaryScale: false step.SetHeaderRoute: false step.SetMirrorRoute: false step.Plugin: false": Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause`,
      `${at}.steps[1]: Invalid value: "step.Experiment: false step.Pause: true step.SetWeight: true step.Analysis: false step.SetCanaryScale: false step.SetHeaderRoute: false step.SetMirrorRoute: false step.Plugin: false": Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause`,
    ]);
  });

  it('keeps setWeight within 0..maxTrafficWeight and pause durations valid', () => {
    assert.deepEqual(messages(canary({ steps: [{ setWeight: 101 }, { setWeight: -1 }, { pause: { duration: 'soon' } }, { pause: { duration: -5 } }] })), [
      `${at}.steps[0].setWeight: Invalid value: 101: SetWeight needs to be between 0 and 100`,
      `${at}.steps[1].setWeight: Invalid value: -1: SetWeight needs to be between 0 and 100`,
      `${at}.steps[2].pause.duration: Invalid value: -1: Duration needs to be greater than 0`,
      `${at}.steps[3].pause.duration: Invalid value: -5: Duration needs to be greater than 0`,
    ]);
    const plugin = { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'r' } }, maxTrafficWeight: 1000 };
    assert.deepEqual(messages(canary({ canaryService: 'c', stableService: 's', trafficRouting: plugin, steps: [{ setWeight: 500 }, { setWeight: 1001 }] })), [
      `${at}.steps[1].setWeight: Invalid value: 1001: SetWeight needs to be between 0 and 1000`,
    ]);
  });

  it('refuses maxSurge and maxUnavailable both zero, and the same stable and canary service', () => {
    assert.deepEqual(messages(canary({ maxSurge: 0, maxUnavailable: '0%', canaryService: 'x', stableService: 'x' })), [
      `${at}.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: MaxSurge and MaxUnavailable both can not be zero`,
      `${at}.stableService: Invalid value: "x": This rollout uses the same service for the stable and canary services, but two different services are required.`,
    ]);
  });

  it('needs traffic routing for setCanaryScale, scaleDownDelaySeconds and dynamicStableScale', () => {
    assert.deepEqual(messages(canary({ scaleDownDelaySeconds: 30, dynamicStableScale: true, steps: [{ setCanaryScale: { replicas: 1 } }] })), [
      `${at}.scaleDownDelaySeconds: Invalid value: 30: Canary scaleDownDelaySeconds can only be used with traffic routing`,
      `${at}.dynamicStableScale: Invalid value: true: Canary dynamicStableScale can only be used with traffic routing`,
      `${at}.trafficRouting: Required value: SetCanaryScale requires TrafficRouting to be set`,
    ]);
  });

  it('checks the gateway plugin: both services and an HTTPRoute', () => {
    assert.deepEqual(messages(canary({ trafficRouting: { plugins: { 'argoproj-labs/gatewayAPI': { namespace: 'default' } } } })), [
      `${at}.stableService: Invalid value: "": Canary service and Stable service must to be set to use Traffic Routing`,
      `${at}.canaryService: Invalid value: "": Canary service and Stable service must to be set to use Traffic Routing`,
      `${at}.trafficRouting.plugins[argoproj-labs/gatewayAPI]: Invalid value: {"namespace":"default"}: must name the HTTPRoute to split traffic on: httpRoute or httpRoutes`,
    ]);
    const ok = { canaryService: 'c', stableService: 's', trafficRouting: { plugins: { 'argoproj-labs/gatewayAPI': { httpRoutes: [{ name: 'r' }] } } } };
    assert.deepEqual(messages(canary(ok)), []);
  });

  it('checks header and mirror routes against the router and managedRoutes', () => {
    const header = { setHeaderRoute: { name: 'hdr', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes', prefix: 'y' } }] } };
    assert.deepEqual(messages(canary({ steps: [header] })), [
      `${at}.steps[0].setHeaderRoute: Invalid value: ${JSON.stringify(header.setHeaderRoute)}: SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix`,
    ]);
    const routing = { canaryService: 'c', stableService: 's', trafficRouting: { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'r' } } } };
    assert.deepEqual(messages(canary({ ...routing, steps: [header, { setMirrorRoute: { name: 'm' } }] })), [
      `${at}.steps[0].setHeaderRoute.match[0]: Invalid value: {"exact":"yes","prefix":"y"}: StringMatch match value must have exactly one of the following: exact, regex, prefix`,
      `${at}.trafficRouting.managedRoutes: Required value: Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'`,
      `${at}.trafficRouting.managedRoutes: Required value: Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'`,
    ]);
    const managed = { ...routing, trafficRouting: { ...routing.trafficRouting, managedRoutes: [{ name: 'hdr' }] } };
    assert.deepEqual(messages(canary({ ...managed, steps: [{ setHeaderRoute: { name: 'other' } }] })), [
      `${at}.steps[0].setHeaderRoute: Invalid value: "other": Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes`,
    ]);
  });

  it('checks analysis references and metadata fieldRefs', () => {
    const args = [{ name: 'ok', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } }, { name: 'bad', valueFrom: { fieldRef: { fieldPath: 'metadata.generation' } } }];
    assert.deepEqual(messages(canary({ steps: [{ analysis: { templates: [{ templateName: 't' }], args } }], analysis: { templates: [{}], startingStep: -1 } })), [
      `${at}.steps[0].analysis.args[1].valueFrom.fieldRef.fieldPath: Invalid value: "metadata.generation": Analyses arguments must refer to valid object metadata supported by downwardAPI`,
      `${at}.analysis.templates[0].templateName: Required value`,
      `${at}.analysis.startingStep: Invalid value: -1: must be greater than or equal to 0`,
    ]);
  });
});

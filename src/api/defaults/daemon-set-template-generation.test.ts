import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../object.js';
import { stampTemplateGeneration, templateGenerationOf, TEMPLATE_GENERATION_ANNOTATION } from './daemon-set-template-generation.js';

function daemonSet(image: string, annotations?: Record<string, string>): KubeObject {
  return {
    metadata: { name: 'agent', ...(annotations === undefined ? {} : { annotations }) },
    spec: { template: { spec: { containers: [{ name: 'agent', image }] } }, minReadySeconds: 0 },
  };
}

test('a created DaemonSet is at template generation 1, or at the number a client restoring one gave', () => {
  const created = daemonSet('agent:1');
  stampTemplateGeneration(created);
  assert.deepEqual(created.metadata?.annotations, { [TEMPLATE_GENERATION_ANNOTATION]: '1' });
  const restored = daemonSet('agent:1', { [TEMPLATE_GENERATION_ANNOTATION]: '7', team: 'a' });
  stampTemplateGeneration(restored);
  assert.deepEqual(restored.metadata?.annotations, { [TEMPLATE_GENERATION_ANNOTATION]: '7', team: 'a' });
  for (const given of ['0', '-3', 'x']) {
    const odd = daemonSet('agent:1', { [TEMPLATE_GENERATION_ANNOTATION]: given });
    stampTemplateGeneration(odd);
    assert.equal(templateGenerationOf(odd), 1, given);
  }
});

test('an update keeps the stored number, one more when the pod template changed; the client cannot set it', () => {
  const stored = daemonSet('agent:1', { [TEMPLATE_GENERATION_ANNOTATION]: '3' });
  const sameTemplate = daemonSet('agent:1', { [TEMPLATE_GENERATION_ANNOTATION]: '9' });
  (sameTemplate['spec'] as { minReadySeconds: number }).minReadySeconds = 10;
  stampTemplateGeneration(sameTemplate, stored);
  assert.equal(templateGenerationOf(sameTemplate), 3);
  const newImage = daemonSet('agent:2');
  stampTemplateGeneration(newImage, stored);
  assert.equal(templateGenerationOf(newImage), 4);
  // An object stored before it had the annotation counts from 0.
  const unstamped = daemonSet('agent:2');
  stampTemplateGeneration(unstamped, daemonSet('agent:1'));
  assert.equal(templateGenerationOf(unstamped), 1);
});

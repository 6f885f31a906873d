import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultJob } from '../defaults/job.js';
import { generateJobSelector } from '../defaults/job-selector.js';
import { formatFieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { validateJob } from './job.js';

const UID = 'aaaaaaaa-1111-4222-8333-444455556666';

/** A Job as the registry validates it on create: defaulted, uid assigned, selector generated. */
function job(spec: Record<string, unknown> = {}, name = 'pi'): KubeObject {
  const obj: KubeObject = {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default', uid: UID },
    spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } }, ...spec },
  };
  defaultJob(obj);
  generateJobSelector(obj);
  return obj;
}

function messages(obj: KubeObject, old?: KubeObject): string[] {
  return validateJob(obj, old).map(formatFieldError);
}

/** `obj` with `spec` fields replaced, defaulted again as the registry does on every write. */
function withSpec(obj: KubeObject, fields: Record<string, unknown>): KubeObject {
  const copy = structuredClone(obj);
  Object.assign(copy['spec'] as Record<string, unknown>, fields);
  defaultJob(copy);
  return copy;
}

function withTemplateSpec(obj: KubeObject, fields: Record<string, unknown>): KubeObject {
  const copy = structuredClone(obj);
  Object.assign((copy['spec'] as { template: { spec: Record<string, unknown> } }).template.spec, fields);
  defaultJob(copy);
  return copy;
}

describe('batch/v1 Job validation', () => {
  it('accepts a defaulted Job with its generated selector', () => {
    assert.deepEqual(messages(job()), []);
    assert.deepEqual(messages(job({ completionMode: 'Indexed', completions: 5, parallelism: 2 })), []);
  });

  it('refuses negative counts and deadlines', () => {
    for (const field of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished']) {
      assert.deepEqual(messages(withSpec(job(), { [field]: -1 })), [`spec.${field}: Invalid value: -1: must be greater than or equal to 0`], field);
    }
  });

  it('needs a pod template that runs to completion', () => {
    assert.deepEqual(messages(withTemplateSpec(job(), { restartPolicy: 'Always' })), [
      'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]);
    assert.deepEqual(messages(withTemplateSpec(job({ podFailurePolicy: { rules: [] } }), { restartPolicy: 'OnFailure' })), [
      'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
    ]);
    assert.ok(messages(withTemplateSpec(job(), { containers: [] })).includes('spec.template.spec.containers: Required value'));
  });

  it('knows the completion modes and what Indexed needs', () => {
    assert.deepEqual(messages(withSpec(job(), { completionMode: 'Random' })), [
      'spec.completionMode: Unsupported value: "Random": supported values: "NonIndexed", "Indexed"',
    ]);
    assert.deepEqual(messages(job({ completionMode: 'Indexed', parallelism: 2 })), ['spec.completions: Required value: when completion mode is Indexed']);
    assert.deepEqual(messages(job({ backoffLimitPerIndex: 1 })), ['spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode']);
    assert.deepEqual(messages(job({ completionMode: 'Indexed', completions: 2, maxFailedIndexes: 1 })), [
      'spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified',
    ]);
    assert.deepEqual(messages(job({ completionMode: 'Indexed', completions: 2, parallelism: 100001 })), [
      'spec.parallelism: Invalid value: 100001: must be less than or equal to 100000 when completion mode is Indexed',
    ]);
  });

  it('checks an Indexed Job\'s last pod hostname', () => {
    const name = 'x'.repeat(62);
    assert.deepEqual(messages(job({ completionMode: 'Indexed', completions: 10 }, name)), [
      `metadata.name: Invalid value: "${name}": will not able to create pod with invalid DNS label: ${name}-9`,
    ]);
  });

  it('knows the pod replacement policies', () => {
    assert.deepEqual(messages(job({ podReplacementPolicy: 'Sometimes' })), [
      'spec.podReplacementPolicy: Unsupported value: "Sometimes": supported values: "Failed", "TerminatingOrFailed"',
    ]);
    assert.deepEqual(messages(job({ podReplacementPolicy: 'TerminatingOrFailed', podFailurePolicy: { rules: [] } })), [
      'spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"',
    ]);
  });

  it('refuses a selector the user wrote without manualSelector (upstream wording)', () => {
    const errs = messages(job({ selector: { matchLabels: { app: 'pi' } }, template: { metadata: { labels: { app: 'pi' } }, spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } } }));
    assert.deepEqual(errs, [
      `spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"pi", "batch.kubernetes.io/controller-uid":"${UID}"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: \`selector\` not auto-generated`,
    ]);
  });

  it('checks the generated labels are the server\'s', () => {
    const tampered = structuredClone(job());
    const labels = (tampered['spec'] as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
    labels['controller-uid'] = 'other';
    delete labels['batch.kubernetes.io/job-name'];
    assert.deepEqual(messages(tampered), [
      `spec.template.metadata.labels[controller-uid]: Invalid value: map[string]string{"batch.kubernetes.io/controller-uid":"${UID}", "controller-uid":"other", "job-name":"pi"}: must be '${UID}'`,
      "spec.template.metadata.labels[batch.kubernetes.io/job-name]: Required value: must be 'pi'",
    ]);
  });

  it('with manualSelector, requires a selector that matches the template', () => {
    const manual = (selector?: unknown) => job({
      manualSelector: true, ...(selector === undefined ? {} : { selector }),
      template: { metadata: { labels: { app: 'pi' } }, spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } },
    });
    assert.deepEqual(messages(manual({ matchLabels: { app: 'pi' } })), []);
    assert.deepEqual(messages(manual({ matchLabels: { app: 'other' } })), [
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"pi"}: `selector` does not match template `labels`',
    ]);
    assert.deepEqual(messages(manual()), [
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"pi"}: `selector` does not match template `labels`',
    ]);
  });

  it('refuses negative status counters', () => {
    assert.deepEqual(messages({ ...job(), status: { succeeded: -1 } }), ['status.succeeded: Invalid value: -1: must be greater than or equal to 0']);
  });
});

describe('batch/v1 Job updates', () => {
  const old = job();

  it('allows mutable fields (suspend, parallelism, labels, ttl)', () => {
    const next = withSpec(old, { suspend: true, parallelism: 3, ttlSecondsAfterFinished: 60 });
    next.metadata = { ...next.metadata, labels: { ...next.metadata?.labels, team: 'a' } };
    assert.deepEqual(messages(next, old), []);
  });

  it('keeps selector, completions, completion mode and template immutable', () => {
    assert.deepEqual(messages(withSpec(old, { completions: 3 }), old), ['spec.completions: Invalid value: 3: field is immutable']);
    assert.deepEqual(messages(withSpec(old, { completionMode: 'Indexed' }), old), ['spec.completionMode: Invalid value: "Indexed": field is immutable']);
    const reselected = withSpec(old, { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': UID, extra: 'x' } } });
    assert.ok(messages(reselected, old).some((m) => m.startsWith('spec.selector: Invalid value: v1.LabelSelector{') && m.endsWith(': field is immutable')));
    const reimaged = withTemplateSpec(old, { containers: [{ name: 'pi', image: 'perl:2' }] });
    const errs = messages(reimaged, old);
    assert.equal(errs.length, 1);
    assert.match(errs[0] ?? '', /^spec\.template: Invalid value: \{.*"image":"perl:2".*\}: field is immutable$/);
  });

  it('lets an Indexed Job scale completions together with parallelism', () => {
    const indexed = job({ completionMode: 'Indexed', completions: 4, parallelism: 4 });
    assert.deepEqual(messages(withSpec(indexed, { completions: 6, parallelism: 6 }), indexed), []);
    assert.deepEqual(messages(withSpec(indexed, { completions: 6 }), indexed), ['spec.completions: Invalid value: 6: can only be modified in tandem with spec.parallelism']);
  });

  it('lets a suspended Job that never started change its scheduling directives, nothing else', () => {
    const suspended = job({ suspend: true });
    const placed = withTemplateSpec(suspended, { nodeSelector: { zone: 'a' }, tolerations: [{ key: 'k', operator: 'Exists' }] });
    assert.deepEqual(messages(placed, suspended), []);
    assert.equal(messages(withTemplateSpec(suspended, { containers: [{ name: 'pi', image: 'perl:2' }] }), suspended).length, 1);
    const started = { ...suspended, status: { startTime: '2026-01-01T00:00:00Z' } };
    assert.equal(messages({ ...placed, status: started.status }, started).length, 1);
    const running = job();
    assert.equal(messages(withTemplateSpec(running, { nodeSelector: { zone: 'a' } }), running).length, 1);
  });
});

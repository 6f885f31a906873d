import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError } from '../../lib/errors.js';
import {
  EVERYTHING_LABEL_SELECTOR,
  formatLabelSelector,
  labelSelectorFromObject,
  labelSelectorToString,
  matchesLabels,
  parseLabelSelector,
  selectsEverything,
} from './label-selector.js';

function parseError(text: string): string {
  try {
    parseLabelSelector(text);
  } catch (error) {
    assert.ok(error instanceof BadRequestError, `expected BadRequestError for ${JSON.stringify(text)}`);
    return error.message;
  }
  assert.fail(`expected ${JSON.stringify(text)} to be rejected`);
}

void describe('parseLabelSelector', () => {
  void it('parses every operator, sorts by key, and prints back canonically', () => {
    const sel = parseLabelSelector(' tier in (b, a) , app=web,env!=prod,  rel==1,!canary,track notin (x),gpu,n>3,m<5');
    assert.deepEqual(
      sel.requirements.map((r) => [r.key, r.operator, r.values]),
      [
        ['app', 'Equals', ['web']],
        ['canary', 'DoesNotExist', []],
        ['env', 'NotEquals', ['prod']],
        ['gpu', 'Exists', []],
        ['m', 'LessThan', ['5']],
        ['n', 'GreaterThan', ['3']],
        ['rel', 'DoubleEquals', ['1']],
        ['tier', 'In', ['a', 'b']],
        ['track', 'NotIn', ['x']],
      ],
    );
    assert.equal(labelSelectorToString(sel), 'app=web,!canary,env!=prod,gpu,m<5,n>3,rel==1,tier in (a,b),track notin (x)');
  });

  void it('treats empty input as everything and accepts empty values', () => {
    assert.equal(parseLabelSelector(''), EVERYTHING_LABEL_SELECTOR);
    assert.ok(selectsEverything(parseLabelSelector('   ')));
    assert.deepEqual(parseLabelSelector('a=').requirements[0]?.values, ['']);
    assert.deepEqual(parseLabelSelector('a in ()').requirements[0]?.values, ['']);
    assert.deepEqual(parseLabelSelector('a in (x,,y)').requirements[0]?.values, ['', 'x', 'y']);
    assert.deepEqual(parseLabelSelector('a in (in,notin)').requirements[0]?.values, ['in', 'notin']);
    assert.deepEqual(parseLabelSelector('example.com/app=web').requirements[0]?.key, 'example.com/app');
  });

  void it('rejects malformed input with upstream wording', () => {
    assert.equal(parseError('!'), "unable to parse requirement: found '', expected: identifier");
    assert.equal(parseError('a=b c'), "found 'c', expected: ',' or 'end of string'");
    assert.equal(parseError('a=b,'), "found '', expected: identifier after ','");
    assert.equal(parseError('a in b'), "unable to parse requirement: found 'b' expected: '('");
    assert.equal(parseError('a in (b c)'), "unable to parse requirement: found 'c', expected: ',' or ')'");
    assert.equal(parseError('a b'), "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
    assert.equal(parseError('=a'), "found '=', expected: !, identifier, or 'end of string'");
    assert.equal(parseError('!a=b'), "found '=', expected: ',' or 'end of string'");
  });

  void it('validates keys and values like upstream', () => {
    assert.match(parseError('a=b@c'), /^unable to parse requirement: values\[0\]\[a\]: Invalid value: "b@c": a valid label must be an empty string/);
    assert.match(parseError('-a=b'), /^unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of alphanumeric/);
    assert.match(parseError('Bad_/x=1'), /prefix part a lowercase RFC 1123 subdomain/);
    assert.match(parseError(`a=${'v'.repeat(64)}`), /must be no more than 63 characters/);
    assert.match(parseError('n>x'), /for 'Gt', 'Lt' operators, the value must be an integer/);
    assert.ok(parseError('a/b/c').includes("with an optional DNS subdomain prefix and '/'"));
  });
});

void describe('matchesLabels', () => {
  const labels = { app: 'web', tier: 'front', n: '10' };
  const cases: [string, boolean][] = [
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['tier in (front,back)', true],
    ['tier notin (front)', false],
    ['missing notin (a)', true],
    ['missing in (a)', false],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['n>9', true],
    ['n<10', false],
    ['app=web,tier=back', false],
    ['', true],
  ];
  for (const [text, expected] of cases) {
    void it(`${JSON.stringify(text)} -> ${expected}`, () => {
      assert.equal(matchesLabels(parseLabelSelector(text), labels), expected);
    });
  }
  void it('handles objects without labels', () => {
    assert.equal(matchesLabels(parseLabelSelector('!a'), undefined), true);
    assert.equal(matchesLabels(parseLabelSelector('a'), undefined), false);
    assert.equal(matchesLabels(parseLabelSelector(''), undefined), true);
  });
});

void describe('labelSelectorFromObject / formatLabelSelector', () => {
  void it('distinguishes null (nothing) from empty (everything)', () => {
    const nothing = labelSelectorFromObject(undefined);
    assert.equal(nothing.matchesNothing, true);
    assert.equal(matchesLabels(nothing, {}), false);
    assert.equal(matchesLabels(labelSelectorFromObject(null), { a: 'b' }), false);
    const everything = labelSelectorFromObject({});
    assert.equal(matchesLabels(everything, {}), true);
    assert.equal(matchesLabels(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }), { x: 'y' }), true);
    assert.equal(formatLabelSelector(null), '');
    assert.equal(formatLabelSelector({}), '');
  });

  void it('combines matchLabels and matchExpressions sorted by key', () => {
    const sel = {
      matchLabels: { tier: 'web', app: 'shop' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'canary'] },
        { key: 'zone', operator: 'NotIn', values: ['z1'] },
        { key: 'beta', operator: 'DoesNotExist' },
        { key: 'gpu', operator: 'Exists' },
      ],
    };
    assert.equal(formatLabelSelector(sel), 'app=shop,!beta,env in (canary,prod),gpu,tier=web,zone notin (z1)');
    const parsed = labelSelectorFromObject(sel);
    assert.equal(matchesLabels(parsed, { app: 'shop', tier: 'web', env: 'prod', gpu: '1' }), true);
    assert.equal(matchesLabels(parsed, { app: 'shop', tier: 'web', env: 'prod', gpu: '1', beta: '' }), false);
    assert.equal(matchesLabels(parsed, { app: 'shop', tier: 'web', env: 'dev', gpu: '1' }), false);
    assert.equal(formatLabelSelector({ matchLabels: { app: 'web' } }), 'app=web');
  });

  void it('rejects invalid objects', () => {
    assert.throws(
      () => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }] }),
      (e: unknown) => e instanceof BadRequestError && e.message === '"Equals" is not a valid label selector operator',
    );
    assert.throws(
      () => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
      (e: unknown) => e instanceof BadRequestError && e.message === "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    );
    assert.throws(
      () => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }),
      /values set must be empty for exists and does not exist/,
    );
    assert.throws(() => labelSelectorFromObject({ matchLabels: { 'a b': 'c' } }), /key: Invalid value: "a b": name part/);
  });
});

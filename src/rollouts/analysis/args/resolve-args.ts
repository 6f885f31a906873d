// `{{args.name}}` substitution, done before a metric's conditions are compiled and before a
// provider sees its query/url/headers/body (Argo: utils/template.ResolveArgs/ResolveQuotedArgs).
//
// Worked example: args [{name: 'svc', value: 'web'}, {name: 'hash', value: 'abc"1'}] and the
// metric {provider: {web: {url: 'http://x/{{args.svc}}?h={{ args.hash }}'}}} resolve to the URL
// `http://x/web?h=abc"1`: the metric is substituted as JSON text with each value JSON-escaped, so
// a quote in a value can never break out of the string it lands in.
import { ArgumentError } from '../analysis-errors.js';
import type { Argument, Metric } from '../analysis-types.js';

const TAG = /\{\{(.*?)\}\}/g;

/** Substitute `{{args.x}}` tags; every arg must have a value, every tag must name an arg. */
export function resolveArgs(template: string, args: readonly Argument[]): string {
  const values = new Map<string, string>();
  for (const arg of args) {
    if (arg.value === undefined) throw new ArgumentError(`argument "${arg.name}" was not supplied`);
    values.set(`args.${arg.name}`, arg.value);
  }
  return template.replace(TAG, (_whole, tag: string) => {
    const value = values.get(tag.trim());
    if (value === undefined) throw new ArgumentError(`failed to resolve {{${tag}}}`);
    return value;
  });
}

/** The metric with every `{{args.x}}` in any of its strings substituted. */
export function resolveMetricArgs(metric: Metric, args: readonly Argument[]): Metric {
  const quoted = args.map((arg) => arg.value === undefined ? arg : { ...arg, value: JSON.stringify(arg.value).slice(1, -1) });
  return JSON.parse(resolveArgs(JSON.stringify(metric), quoted)) as Metric;
}

/**
 * Arguments whose values come from Secrets, replaced by their values. `lookup` is the caller's
 * access to Secrets (through the client, never storage); the returned `secrets` are the values to
 * redact from messages.
 */
export async function resolveSecretArgs(
  args: readonly Argument[],
  lookup: ((name: string, key: string) => Promise<string | undefined>) | undefined,
): Promise<{ args: Argument[]; secrets: string[] }> {
  const secrets: string[] = [];
  const resolved: Argument[] = [];
  for (const arg of args) {
    const ref = arg.valueFrom?.secretKeyRef;
    if (ref === undefined) {
      resolved.push(arg);
      continue;
    }
    const value = lookup === undefined ? undefined : await lookup(ref.name, ref.key);
    if (value === undefined) throw new ArgumentError(`key '${ref.key}' does not exist in secret '${ref.name}'`);
    if (value !== '') secrets.push(value);
    resolved.push({ name: arg.name, value });
  }
  return { args: resolved, secrets };
}

/** Secret values never reach status: each occurrence becomes `*****`, as Argo does. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.replaceAll(secret, '*****'), text);
}

// A cell printing a plain label map as upstream's labels.FormatLabels does (a Service's selector, a
// DaemonSet's node selector): sorted `k=v` pairs joined by ',', `<none>` when empty.
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels?.[k] ?? ''}`).join(',') : '<none>';
}

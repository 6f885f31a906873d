// Kubernetes API version ordering (upstream's version.CompareKubeAwareVersionStrings): GA before
// beta before alpha, higher numbers first within each: v2, v1, v1beta2, v1beta1, v1alpha1; versions
// that do not look like `v<N>[alpha|beta<M>]` come last, alphabetically.

interface ParsedVersion {
  readonly major: number;
  /** 2 GA, 1 beta, 0 alpha. */
  readonly stability: number;
  readonly minor: number;
}

function parse(version: string): ParsedVersion | undefined {
  const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!match) return undefined;
  const stability = match[2] === undefined ? 2 : match[2] === 'beta' ? 1 : 0;
  return { major: Number(match[1]), stability, minor: match[3] === undefined ? 0 : Number(match[3]) };
}

/** Negative when `a` is preferred over `b` (sorts most preferred first). */
export function compareVersionPriority(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (pa && pb) {
    if (pa.stability !== pb.stability) return pb.stability - pa.stability;
    if (pa.major !== pb.major) return pb.major - pa.major;
    return pb.minor - pa.minor;
  }
  if (pa) return -1;
  if (pb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

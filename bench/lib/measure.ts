// Runs `clients` concurrent loops of one operation for a fixed time and reports throughput and
// latency percentiles. Latencies are kept in full (a few hundred thousand numbers at most).

export interface Measurement {
  readonly opsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly count: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(latenciesMs: number[], elapsedMs: number): Measurement {
  latenciesMs.sort((a, b) => a - b);
  return {
    opsPerSecond: (latenciesMs.length / elapsedMs) * 1000,
    p50: percentile(latenciesMs, 50),
    p99: percentile(latenciesMs, 99),
    count: latenciesMs.length,
  };
}

export async function measure(
  operation: (client: number, iteration: number) => Promise<void>,
  clients: number,
  seconds: number,
): Promise<Measurement> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let iteration = 0; performance.now() < deadline; iteration++) {
        const before = performance.now();
        await operation(client, iteration);
        latencies.push(performance.now() - before);
      }
    }),
  );
  return summarize(latencies, performance.now() - started);
}

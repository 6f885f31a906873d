// The CONTAINERS and IMAGES cells of workload tables: names and images joined by ','.
import type { Container } from 'kubernetes-types/core/v1.js';

export function containerCells(containers: readonly Container[] | undefined): { names: string; images: string } {
  const list = containers ?? [];
  return { names: list.map((c) => c.name).join(','), images: list.map((c) => c.image ?? '').join(',') };
}

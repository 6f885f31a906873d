// PLACEHOLDER (being written by the metrics helper): usage of a container's process tree.
export interface ProcessTreeStats {
  readonly cpuUsageCoreNanoSeconds: number;
  readonly memoryWorkingSetBytes: number;
}

export function readProcessTreeStats(_pid: number): Promise<ProcessTreeStats | undefined> {
  return Promise.resolve(undefined);
}

// What the status controller needs to know about the data plane in this process: which listener
// ports it failed to bind, and with which error. The gateway supervisor (src/proxy/gateway)
// implements this shape; src/cmd connects the two, so controllers never import the proxy. Without
// a data plane in this process there is no health source and status says only whether a Gateway
// is valid.

/** Errno code (EACCES, EADDRINUSE, ...) by port, for each wanted port that is not bound. */
export type BindFailures = ReadonlyMap<number, string>;

export interface ListenerHealth {
  bindFailures(): BindFailures;
  /** Calls `listener` whenever bindFailures() changes; returns the way to stop. */
  onChange(listener: () => void): () => void;
}

/** Why a bind failed and what fixes it, for a condition message. */
export function bindFailureMessage(address: string, port: number, code: string): string {
  const where = `${address.includes(':') ? `[${address}]` : address}:${port}`;
  const hint = BIND_HINTS[code];
  return `cannot listen on ${where}: ${code}${hint === undefined ? '' : ` (${hint})`}`;
}

const BIND_HINTS: Readonly<Record<string, string>> = {
  EACCES: 'ports below 1024 need root: run k8ts as root or use a port >= 1024',
  EADDRINUSE: 'another program listens on that port',
  EADDRNOTAVAIL: 'the address is not on this machine: check --gateway-address',
};

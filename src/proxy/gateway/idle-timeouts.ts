// How long a gateway client connection may sit without progress before its worker cuts it.
// Without limits a client that opens connections and sends nothing (or one byte now and then)
// holds a socket and its memory forever. The defaults follow common proxies: nginx closes an idle
// keep-alive connection after 75 s (keepalive_timeout) and gives a request head 60 s
// (client_header_timeout); Envoy ends an upgraded stream (a WebSocket) idle for 5 minutes
// (stream_idle_timeout). An exchange in progress is not limited here: the route's Gateway API
// timeouts apply to it, and without them a slow upstream (a long poll, a watch) may take its time.
//
// The clock is never read on the data path: each connection only raises a flag when bytes move,
// and a sweep every `sweepMs` counts, per connection, the sweeps that found the flag down (see
// ClientConnection.sweep). A limit therefore fires between its value and one sweep later.

export interface IdleTimeouts {
  /** Between requests on a keep-alive connection, with no bytes received (default 75 s). */
  readonly keepAliveMs: number;
  /** From a request head's first byte to its end (default 60 s); then 408 and close. */
  readonly requestHeadMs: number;
  /** A tunnel (after a 101) with no bytes in either direction (default 5 min). */
  readonly tunnelMs: number;
  /** How often connections are checked (default 1 s). */
  readonly sweepMs: number;
}

export const DEFAULT_IDLE_TIMEOUTS: IdleTimeouts = { keepAliveMs: 75_000, requestHeadMs: 60_000, tunnelMs: 300_000, sweepMs: 1_000 };

/** The limits counted in sweeps (at least one each). */
export interface SweepLimits {
  readonly keepAlive: number;
  readonly requestHead: number;
  readonly tunnel: number;
}

export function sweepLimits(timeouts: IdleTimeouts): SweepLimits {
  const sweeps = (ms: number) => Math.max(1, Math.ceil(ms / timeouts.sweepMs));
  return { keepAlive: sweeps(timeouts.keepAliveMs), requestHead: sweeps(timeouts.requestHeadMs), tunnel: sweeps(timeouts.tunnelMs) };
}

// What the agent's runtime (shim-host.ts) and the container shim (container-shim.ts) say to each
// other, and what the shim leaves on disk: one JSON message a line over the shim's unix socket
// (requests in, its PID first and then one answer per request out), the exit file it writes per
// container, and the first byte of an attach session on a container's stdin socket.
export interface ShimSpec {
  /** The full command line, wrappers (ip netns exec, unshare) included. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly logPath: string;
  /** The shim writes `{exitCode, signal, finishedAt}` here (atomically) when the command ended. */
  readonly exitPath: string;
  /** Longer lines are split into `P` records of this many bytes (containerd's default: 16 KiB). */
  readonly maxLineBytes: number;
  /** The command line reports readiness by writing to (or closing) fd 3: start counts from then. */
  readonly waitReady: boolean;
  /** Keep a pipe on the command's stdin (container stdin or TTY); absent: stdin is /dev/null. */
  readonly input?: ShimInput;
}

export interface ShimInput {
  /** Attach sessions connect here; absent: the pipe is held open and never written (a TTY without stdin). */
  readonly socketPath?: string;
}

/** An attach session's first byte: its end closes the container's stdin. */
export const ATTACH_CLOSES_STDIN = 0x43;
/** An attach session's first byte: its end only detaches. */
export const ATTACH_DETACHES = 0x44;

export interface ShimExit {
  readonly exitCode: number;
  readonly signal?: string;
  readonly finishedAt: string;
  readonly reason?: string;
  readonly message?: string;
}

/** A short command the shim runs and waits for (CNI plugins, `ip`): see shim-host.ts for why. */
export interface ShimCommand {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly stdin: string;
}

export interface ShimCommandResult {
  /** null: killed by a signal. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runtime -> shim: start this container, or run this command. */
export type ShimRequest = { readonly id: number; readonly spec: ShimSpec } | { readonly id: number; readonly command: ShimCommand };

/** Shim -> runtime: its PID first on every connection, then one answer per request. */
export type ShimReply =
  | { readonly shimPid: number }
  | { readonly id: number; readonly pid?: number; readonly result?: ShimCommandResult; readonly error?: string };

/** The environment variable that tells the shim its socket's path. */
export const SHIM_SOCKET_ENV = 'K8TS_SHIM_SOCKET';

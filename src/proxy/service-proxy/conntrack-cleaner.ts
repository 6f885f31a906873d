// Deletes the conntrack entries a rules sync left stale (stale-conntrack-entries.ts says which;
// a proxy's first sync reconciles the listed entries instead of comparing with a sync before it),
// with the `conntrack` CLI (conntrack-tools) run through the proxy's IptablesHost, so a test's
// private network namespace gets its own table. Runs after the rules are in place: a datagram
// arriving after a delete is DNATed by the new rules, never again to the endpoint that went away.
//
// Cleaning is best effort and never fails a sync (the rules are right either way; only flows
// already pinned to a gone endpoint suffer): errors are logged. Without the binary (outside CI:
// .ci/run installs it) one warning is logged and cleaning is off for the proxy's lifetime.
import type { Logger } from '../../lib/logger.js';
import type { CommandResult } from '../../lib/command-runner.js';
import type { ServicePortPlan } from './service-port-plan.js';
import { conntrackDeleteArgs, conntrackListArgs, reconcileQueries, staleConntrackFilters, staleReplyFilters, type ConntrackFilter } from './stale-conntrack-entries.js';

/** Runs `conntrack` with these arguments (IptablesHost.conntrack). */
export interface ConntrackHost {
  conntrack(args: readonly string[]): Promise<CommandResult>;
}

/** `conntrack -D` exits 1 when no entry matched; that is the usual case, not a failure. */
function deletedOrNothingMatched(result: CommandResult): boolean {
  return result.code === 0 || (result.code === 1 && /\b0 flow entries have been deleted/.test(result.stderr));
}

export class ConntrackCleaner {
  private readonly host: ConntrackHost;
  private readonly logger: Logger;
  /** undefined until first needed; then whether the binary runs. */
  private available: boolean | undefined;

  constructor(options: { readonly host: ConntrackHost; readonly logger: Logger }) {
    this.host = options.host;
    this.logger = options.logger;
  }

  /** Deletes what moving from `previous` to `next` left stale; never throws. Resolves to the number of filters run. */
  async clean(previous: readonly ServicePortPlan[], next: readonly ServicePortPlan[]): Promise<number> {
    const filters = staleConntrackFilters(previous, next);
    if (filters.length === 0 || !(await this.isAvailable())) return 0;
    return this.delete(filters);
  }

  /**
   * A first sync: deletes the entries to the ports of `plans` that no current endpoint answers,
   * keeping live flows (stale-conntrack-entries.ts); never throws. Resolves to the number of deletes run.
   */
  async reconcile(plans: readonly ServicePortPlan[]): Promise<number> {
    const queries = reconcileQueries(plans);
    if (queries.length === 0 || !(await this.isAvailable())) return 0;
    const filters: ConntrackFilter[] = [];
    for (const query of queries) {
      const args = conntrackListArgs(query.list);
      try {
        const result = await this.host.conntrack(args);
        if (result.code === 0) filters.push(...staleReplyFilters(query, result.stdout));
        else this.logger.error({ args: args.join(' '), exitCode: result.code, stderr: result.stderr.trim().slice(0, 500) }, 'could not list conntrack entries');
      } catch (error) {
        this.logger.error({ err: error, args: args.join(' ') }, 'could not list conntrack entries');
      }
    }
    return this.delete(filters);
  }

  private async delete(filters: readonly ConntrackFilter[]): Promise<number> {
    let failed = 0;
    for (const filter of filters) {
      const args = conntrackDeleteArgs(filter);
      try {
        const result = await this.host.conntrack(args);
        if (deletedOrNothingMatched(result)) continue;
        failed += 1;
        this.logger.error({ args: args.join(' '), exitCode: result.code, stderr: result.stderr.trim().slice(0, 500) }, 'could not delete stale conntrack entries');
      } catch (error) {
        failed += 1;
        this.logger.error({ err: error, args: args.join(' ') }, 'could not delete stale conntrack entries');
      }
    }
    this.logger.debug({ filters: filters.length, failed }, 'stale conntrack entries deleted');
    return filters.length;
  }

  private async isAvailable(): Promise<boolean> {
    if (this.available === undefined) {
      const result = await this.host.conntrack(['--version']).catch((error: unknown) => ({ code: -1, stdout: '', stderr: String(error) }));
      this.available = result.code === 0;
      if (!this.available) {
        this.logger.warn({ stderr: result.stderr.trim().slice(0, 500) }, 'conntrack (conntrack-tools) does not run: stale UDP conntrack entries are not deleted');
      }
    }
    return this.available;
  }
}

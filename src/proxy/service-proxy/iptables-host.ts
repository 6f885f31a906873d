// The proxy's hands on the machine: reads which of our chains exist, applies a restore batch,
// keeps the base-chain jumps in place, reads and writes sysctls, runs conntrack. Everything goes through a
// CommandRunner (see command-runner.ts).
import { K8tsError } from '../../lib/errors.js';
import type { BaseJump } from './base-jumps.js';
import type { CommandResult, CommandRunner } from '../../lib/command-runner.js';
import type { TableName } from './iptables-ruleset.js';

/** An iptables or sysctl command failed; the sync is retried. */
export class IptablesCommandError extends K8tsError {
  readonly exitCode: number;
  constructor(command: string, result: CommandResult) {
    super('Unavailable', `${command} failed with exit code ${result.code}: ${result.stderr.trim().slice(0, 2000)}`);
    this.exitCode = result.code;
  }
}

export type ChainsByTable = Record<TableName, Set<string>>;

/** Chains declared in `iptables-save` output whose name passes `owns`, per table. */
export function parseChains(saved: string, owns: (chain: string) => boolean): ChainsByTable {
  const chains: ChainsByTable = { nat: new Set(), filter: new Set() };
  let table: string | undefined;
  for (const line of saved.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1).trim();
    else if (line.startsWith(':') && (table === 'nat' || table === 'filter')) {
      const chain = line.slice(1).split(' ')[0] ?? '';
      if (owns(chain)) chains[table].add(chain);
    }
  }
  return chains;
}

export class IptablesHost {
  private readonly runner: CommandRunner;

  constructor(options: { readonly runner: CommandRunner }) {
    this.runner = options.runner;
  }

  private async ok(command: string, args: readonly string[], input?: string): Promise<string> {
    const result = await this.runner.run(command, args, input);
    if (result.code !== 0) throw new IptablesCommandError(`${command} ${args.join(' ')}`, result);
    return result.stdout;
  }

  /** `iptables-save` of the nat and filter tables. */
  async save(): Promise<string> {
    const [nat, filter] = await Promise.all([this.ok('iptables-save', ['-t', 'nat']), this.ok('iptables-save', ['-t', 'filter'])]);
    return `${filter}${nat}`;
  }

  async listChains(owns: (chain: string) => boolean): Promise<ChainsByTable> {
    return parseChains(await this.save(), owns);
  }

  /** One atomic transaction; touches only the chains the text names. */
  async restore(text: string): Promise<void> {
    if (text === '') return;
    await this.ok('iptables-restore', ['-w', '5', '--noflush'], text);
  }

  /** Inserts each jump at the top of its chain unless it is there already. */
  async ensureJumps(jumps: readonly BaseJump[]): Promise<void> {
    for (const jump of jumps) {
      const check = await this.runner.run('iptables', ['-w', '5', '-t', jump.table, '-C', jump.chain, ...jump.spec]);
      if (check.code === 0) continue;
      await this.ok('iptables', ['-w', '5', '-t', jump.table, '-I', jump.chain, '1', ...jump.spec]);
    }
  }

  /** Deletes each jump (every copy of it); a missing one is fine. */
  async deleteJumps(jumps: readonly BaseJump[]): Promise<void> {
    for (const jump of jumps) {
      for (let copy = 0; copy < 16; copy++) {
        const result = await this.runner.run('iptables', ['-w', '5', '-t', jump.table, '-D', jump.chain, ...jump.spec]);
        if (result.code !== 0) break;
      }
    }
  }

  /** Runs the conntrack CLI; the caller reads the exit code (`-D` exits 1 when nothing matched). */
  conntrack(args: readonly string[]): Promise<CommandResult> {
    return this.runner.run('conntrack', args);
  }

  async readSysctl(key: string): Promise<string> {
    return (await this.ok('sysctl', ['-n', key])).trim();
  }

  async writeSysctl(key: string, value: string): Promise<void> {
    await this.ok('sysctl', ['-q', '-w', `${key}=${value}`]);
  }
}

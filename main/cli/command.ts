/** The shape of one CLI command: its help, its options, and what it runs. */
import type { CommandContext } from './context.js';
import type { Flags, OptionSpec } from './options.js';

export interface ArgSpec {
  name: string;
  help: string;
  optional?: boolean;
}

export interface CommandInput {
  flags: Flags;
  positionals: string[];
}

export interface Command {
  name: string;
  summary: string;
  /** Explains what the command does beyond the summary, one paragraph per entry. */
  details?: string[];
  /** Replaces the generated usage line when options combine in ways it cannot show. */
  usage?: string;
  args?: ArgSpec[];
  options: OptionSpec[];
  /** The command reads --profile itself; every other command runs as the active profile. */
  ownsProfileFlag?: boolean;
  /** Resolves to the exit code. */
  run(ctx: CommandContext, input: CommandInput): Promise<number>;
}

import { CommandTable } from './command-table.js';
import { allCommands } from './commands/index.js';

/**
 * The `rename-command` lines of a config file, checked as they are read against a table of
 * their own (a later line sees the earlier renames), then applied to the server's table.
 */
export class CommandRenames {
  readonly renames: Array<[from: string, to: string]> = [];
  private readonly scratch = new CommandTable(allCommands);

  /** null, or the config error's reason as Redis words it. */
  add(from: string, to: string): string | null {
    const problem = this.scratch.rename(from, to);
    if (problem === null) this.renames.push([from, to]);
    return problem;
  }
}

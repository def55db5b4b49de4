import { CommandTable } from '../command-table.js';
import { allCommands } from '../commands/index.js';
import { AccessControl, mergeSelectorArguments } from './access-control.js';
import { ruleErrorMessage } from './rule-error.js';

/**
 * The `user` lines of a config file, checked as they are read (Redis's
 * ACLAppendUserForLoading) and applied once the server starts (AccessControl.loadConfigured).
 * Rules naming unknown commands pass here: Redis only finds them out at startup.
 */
export class UserDeclarations {
  /** Each declaration: the user name, then its rules with selectors merged. */
  readonly lines: string[][] = [];
  /** Checks the rules; made at the first `user` line, as most configurations have none. */
  private scratch: AccessControl | undefined;

  /** `words` is the whole line ("user", name, rules...): null, or the config error's reason. */
  add(words: readonly string[]): string | null {
    const name = words[1];
    // Redis names the offending word by its index among the rules, in the whole line's words.
    const failure = (index: number, message: string) =>
      `Error in user declaration '${words[index]}': ${message}`;
    if (this.lines.some(([declared]) => declared === name)) {
      return failure(1, ruleErrorMessage('duplicate-user'));
    }
    const merged = mergeSelectorArguments(words.slice(2));
    if (!Array.isArray(merged)) return failure(merged.unmatched, ruleErrorMessage('syntax'));
    const user = (this.scratch ??= new AccessControl(new CommandTable(allCommands))).stagingUser();
    for (let i = 0; i < merged.length; i++) {
      const error = user.apply(merged[i]);
      if (error !== null && error !== 'unknown-name') return failure(i, ruleErrorMessage(error));
    }
    this.lines.push([name, ...merged]);
    return null;
  }
}

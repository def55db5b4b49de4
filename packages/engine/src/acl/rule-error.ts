/** Why an ACL rule was refused (Redis's errno values from ACLSetUser), each with Redis's text. */
export type RuleError =
  | 'unknown-name'
  | 'syntax'
  | 'key-after-all'
  | 'channel-after-all'
  | 'no-such-password'
  | 'bad-hash'
  | 'duplicate-user'
  | 'first-arg-of-subcommand';

const MESSAGES: Record<RuleError, string> = {
  'unknown-name': 'Unknown command or category name in ACL',
  syntax: 'Syntax error',
  'key-after-all':
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  'channel-after-all':
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
  'no-such-password': 'The password you are trying to remove from the user does not exist',
  'bad-hash':
    'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters',
  'duplicate-user': 'Duplicate user found. A user can only be defined once in config files',
  'first-arg-of-subcommand': 'Allowing first-arg of a subcommand is not supported',
};

export function ruleErrorMessage(error: RuleError): string {
  return MESSAGES[error];
}

/** Redis refuses spaces and NULs in user names and patterns (they would break ACL LIST). */
export function hasSpaces(text: string): boolean {
  return /[\t\n\v\f\r \0]/.test(text);
}

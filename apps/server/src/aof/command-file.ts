import { detachedConnection, type Client, type Engine } from '@rc/engine';

/** How replaying one file of commands ended. */
export type ReplayOutcome =
  | { readonly kind: 'ok'; readonly commands: number }
  | {
      readonly kind: 'truncated';
      readonly commands: number;
      readonly validBytes: number;
      /** The file ended cleanly inside MULTI (Redis reverts the transaction, as a short read). */
      readonly unfinishedMulti: boolean;
    }
  | { readonly kind: 'format-error'; readonly offset: number }
  | { readonly kind: 'unknown-command'; readonly name: string };

const LF = 0x0a;

/** The fake client AOF commands run as (Redis's createAOFClient): no replies kept. */
export function createLoadingClient(engine: Engine): Client {
  const client = engine.connect(detachedConnection());
  client.authenticated = true;
  client.user = null;
  client.obeysAll = true;
  return client;
}

/**
 * Replays AOF commands (RESP multibulks, `#` annotation lines skipped) through the engine as
 * Redis's loadSingleAppendOnlyFile does: MULTI/EXEC are honoured, and a file that ends in the
 * middle of a command or of a transaction reports the offset of the last complete one (before
 * the unfinished MULTI) so the caller can truncate there.
 */
export function replayCommands(engine: Engine, client: Client, bytes: Buffer): ReplayOutcome {
  let offset = 0;
  let validUpTo = 0;
  let validBeforeMulti = 0;
  let commands = 0;
  const length = bytes.length;
  const lineEnd = (from: number): number => {
    const index = bytes.indexOf(LF, from);
    return index === -1 ? -1 : index;
  };
  while (offset < length) {
    if (bytes[offset] === 0x23 /* # */) {
      const end = lineEnd(offset);
      if (end === -1) break;
      offset = end + 1;
      validUpTo = offset;
      continue;
    }
    if (bytes[offset] !== 0x2a /* * */) return { kind: 'format-error', offset };
    const headerEnd = lineEnd(offset);
    if (headerEnd === -1) return truncated(commands, client, validUpTo, validBeforeMulti);
    const argc = Number.parseInt(bytes.toString('latin1', offset + 1, headerEnd), 10);
    if (!(argc >= 1)) return { kind: 'format-error', offset };
    let position = headerEnd + 1;
    const argv: string[] = new Array<string>(argc);
    for (let j = 0; j < argc; j++) {
      if (position >= length) return truncated(commands, client, validUpTo, validBeforeMulti);
      if (bytes[position] !== 0x24 /* $ */) return { kind: 'format-error', offset: position };
      const end = lineEnd(position);
      if (end === -1) return truncated(commands, client, validUpTo, validBeforeMulti);
      const size = Number.parseInt(bytes.toString('latin1', position + 1, end), 10);
      if (!(size >= 0)) return { kind: 'format-error', offset: position };
      const start = end + 1;
      if (start + size + 2 > length)
        return truncated(commands, client, validUpTo, validBeforeMulti);
      argv[j] = bytes.toString('latin1', start, start + size);
      position = start + size + 2;
    }
    const name = argv[0].toLowerCase();
    const entry = engine.commands.lookup(name);
    if (entry === undefined) return { kind: 'unknown-command', name: argv[0] };
    if (name === 'multi') validBeforeMulti = validUpTo;
    engine.execute(client, argv);
    client.out.take();
    commands++;
    offset = position;
    validUpTo = position;
  }
  if (client.transaction !== null) {
    return truncated(commands, client, validUpTo, validBeforeMulti, true);
  }
  return { kind: 'ok', commands };
}

function truncated(
  commands: number,
  client: Client,
  validUpTo: number,
  validBeforeMulti: number,
  unfinishedMulti = false,
): ReplayOutcome {
  // An unfinished transaction is dropped whole: Redis reverts to before its MULTI.
  const inTransaction = client.transaction !== null;
  client.transaction = null;
  client.transactionFailed = false;
  return {
    kind: 'truncated',
    commands,
    validBytes: inTransaction ? validBeforeMulti : validUpTo,
    unfinishedMulti,
  };
}

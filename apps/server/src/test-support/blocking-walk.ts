import { expand, type Family, type WalkState } from './random-walk.js';
import { RawClient, encodeCommand } from './raw-client.js';
import { seeded } from './seeded.js';

/**
 * Random walks over blocking commands: several clients of one server, some of them blocked
 * with a timeout of 0 (BLPOP, BLMOVE, BZPOPMIN, BZMPOP, XREAD and XREADGROUP BLOCK), while the
 * others push, add, delete, rename, copy, change types, run transactions and write to another
 * database; now and then a waiter is released by CLIENT UNBLOCK (TIMEOUT or ERROR) or killed.
 * Every step is run on both servers and what each client received is compared: who was served,
 * in which order, with what, and who stays blocked.
 *
 * Not SWAPDB: Redis then wakes the keys of its table of blocked keys in that table's order,
 * which its random hash seed sets anew at every start, so a client blocked on several keys is
 * served from any one of them.
 */
const KEYS = {
  /** List, sorted set and stream keys; a key can also change type along the way. */
  L: ['l1', 'l2'],
  Z: ['z1', 'z2'],
  X: ['s1', 's2'],
};

export const BLOCKING: Family & { readonly waits: readonly string[] } = {
  keys: [...KEYS.L, ...KEYS.Z, ...KEYS.X],
  pools: {
    ...KEYS,
    M: ['a', 'b', 'c', 'd', '1'],
    C: ['1', '2', '3'],
    F: ['1', '2', '-1', '3.5', 'inf'],
    G: ['g1'],
    Q: ['c1', 'c2'],
    /** A script that pushes: its waiters are served once it is done. */
    E: ["redis.call('rpush',KEYS[1],ARGV[1])", "redis.call('zadd',KEYS[1],1,ARGV[1])"],
  },
  // Commands of several words separated by ";" are sent together, in one write.
  templates: [
    'LPUSH|RPUSH L M+',
    'LPUSH|RPUSH L M+',
    'LPUSHX|RPUSHX L M',
    'LMOVE L L LEFT|RIGHT LEFT|RIGHT',
    'RPOPLPUSH L L',
    'LPOP|RPOP L C?',
    'ZADD Z F,M+',
    'ZADD Z F,M+',
    'ZINCRBY Z F M',
    'ZPOPMIN|ZPOPMAX Z',
    'XADD X NEXT f M',
    'XADD X NEXT f M',
    'XGROUP CREATE X G $|0 MKSTREAM',
    'XGROUP DESTROY X G',
    'XGROUP SETID X G $|0',
    'XGROUP CREATECONSUMER|DELCONSUMER X G Q',
    'XREADGROUP GROUP G Q COUNT,C? STREAMS X >|0',
    'XACK X G 1-1|2-1|3-1',
    'XAUTOCLAIM X G Q 0 0 COUNT,C? JUSTID',
    'XPENDING X G',
    'DEL K+',
    'SET K v',
    'RENAME K K',
    'COPY K K REPLACE',
    'MULTI ; LPUSH|RPUSH L M ; RPUSH L M ; EXEC',
    'MULTI ; DEL K ; RPUSH|ZADD K 1 M ; EXEC',
    'MULTI ; ZADD Z F M ; XADD X NEXT f M ; LPUSH L M ; EXEC',
    'MULTI ; LPUSH L M ; LPOP L ; EXEC',
    'SELECT 1 ; RPUSH|ZADD L|Z 1 M ; SELECT 0',
    'MOVE K 1',
    'LLEN|ZCARD|XLEN|TYPE K',
    'LTRIM L 1 0',
    'LREM L 0 M',
    'ZREM Z M',
    'XTRIM X MAXLEN 0',
    'LMPOP 1 L LEFT|RIGHT',
    'ZMPOP 1 Z MIN|MAX',
    'SORT L|Z ALPHA STORE L',
    'ZUNIONSTORE Z 2 Z Z',
    'ZRANGESTORE Z Z 0 -1',
    'GEOADD Z 13.36 38.11 M',
    'EVAL E 1 L|Z M',
    'MULTI ; BLPOP|BRPOP L 0 ; BZPOPMIN Z 0 ; XREAD BLOCK 0 STREAMS X 0 ; EXEC',
    'UNLINK K',
  ],
  waits: [
    'BLPOP|BRPOP L L? 0',
    'BLMOVE L L LEFT|RIGHT LEFT|RIGHT 0',
    'BRPOPLPUSH L L 0',
    'BLMPOP 0 2 L L LEFT|RIGHT COUNT,C?',
    'BZPOPMIN|BZPOPMAX Z Z? 0',
    'BZMPOP 0 2 Z Z MIN|MAX COUNT,C?',
    'XREAD COUNT,C? BLOCK 0 STREAMS X $',
    'XREAD BLOCK 0 STREAMS X X $ $',
    'XREADGROUP GROUP G Q COUNT,C? BLOCK 0 STREAMS X >',
    'XREADGROUP GROUP G Q NOACK BLOCK 0 STREAMS X X > >',
  ],
};

/** Client 0 only writes, so that someone is always free to wake the others. */
const CLIENTS = 4;

/** One server's side of a walk: its clients and a control connection. */
class Side {
  private constructor(
    readonly clients: RawClient[],
    private readonly control: RawClient,
    private readonly ids: string[],
    private readonly port: number,
    private readonly protocol: 2 | 3,
  ) {}

  static async open(port: number, protocol: 2 | 3): Promise<Side> {
    const control = await RawClient.open(port);
    await control.command('FLUSHALL');
    const side = new Side([], control, [], port, protocol);
    for (let i = 0; i < CLIENTS; i++) await side.connect(i);
    return side;
  }

  /** Opens client `index` (again), in the walk's protocol, and learns its id. */
  private async connect(index: number): Promise<void> {
    const client = await RawClient.open(this.port);
    if (this.protocol === 3) await client.command('HELLO', '3');
    const id = await client.command('CLIENT', 'ID');
    this.ids[index] = String(id).slice(1, -2);
    this.clients[index] = client;
  }

  async blockedCount(): Promise<number> {
    const info = String(await this.control.command('INFO', 'clients'));
    return Number(/blocked_clients:(\d+)/.exec(info)?.[1]);
  }

  /**
   * Sends `commands` on one client and waits until they are done: every reply is in, or the
   * client is blocked. Returns the frames each client received meanwhile, woken ones included.
   */
  async step(client: number, commands: string[][], blockedBefore: number): Promise<string[][]> {
    const sent = this.clients[client];
    sent.write(Buffer.concat(commands.map((command) => encodeCommand(command))));
    const frames: string[][] = this.clients.map(() => []);
    // A server that neither answers nor blocks shows as missing replies, after a while: long
    // enough for a loaded machine, since a step that answers or blocks ends the wait at once.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      await this.drain(frames);
      if (frames[client].length >= commands.length) break;
      if ((await this.blockedCount()) > blockedBefore) break;
    }
    return this.collectWoken(frames);
  }

  /** CLIENT UNBLOCK for a client, and what every client received after it. */
  async unblock(client: number, mode: 'TIMEOUT' | 'ERROR'): Promise<string[][]> {
    return this.settle(['CLIENT', 'UNBLOCK', this.ids[client], mode]);
  }

  /** CLIENT KILL for a client, which then connects anew; what the others received. */
  async kill(client: number): Promise<string[][]> {
    const killed = this.clients[client];
    const frames = await this.settle(['CLIENT', 'KILL', 'ID', this.ids[client]]);
    await killed.waitClosed();
    killed.close();
    await this.connect(client);
    return frames;
  }

  /** Runs a command on the control connection and collects what the clients got after it. */
  private async settle(command: string[]): Promise<string[][]> {
    await this.control.command(...command);
    return this.collectWoken(this.clients.map(() => []));
  }

  /**
   * One round trip on the control connection (whatever the last command woke was written
   * before its reply), a moment for those frames to be read, then every frame into `frames`.
   */
  private async collectWoken(frames: string[][]): Promise<string[][]> {
    await this.control.command('PING');
    await new Promise((resolve) => setTimeout(resolve, 2));
    await this.drain(frames);
    return frames;
  }

  /** Moves every complete frame the clients hold into `frames`, waiting for none. */
  private async drain(frames: string[][]): Promise<void> {
    for (let i = 0; i < this.clients.length; i++) {
      frames[i].push(...(await this.clients[i].readUntilQuiet(0)));
    }
  }

  close(): void {
    for (const client of [...this.clients, this.control]) client.close();
  }
}

/** What a step did, as the comparison shows it on a mismatch. */
export interface BlockingStep {
  readonly description: string;
  readonly ours: string[][];
  readonly theirs: string[][];
}

/**
 * What a walk does next: commands sent on a client, a blocked client released by CLIENT UNBLOCK
 * or a client killed (and connected anew), or null when the run is over.
 */
export type Action =
  | { client: number; commands: string[][] }
  | { unblock: number; mode: 'TIMEOUT' | 'ERROR' }
  | { kill: number };

export type NextStep = (blocked: ReadonlySet<number>) => Action | null;

/**
 * Runs steps on both servers in lockstep, each chosen by `next` from the clients blocked so far
 * (as Redis's replies tell), and returns each step's frames from both. The clients still
 * blocked at the end are released by CLIENT UNBLOCK.
 */
export async function runBlockingSteps(
  ports: { rc: number; redis: number },
  protocol: 2 | 3,
  next: NextStep,
): Promise<BlockingStep[]> {
  const [ours, theirs] = await Promise.all([
    Side.open(ports.rc, protocol),
    Side.open(ports.redis, protocol),
  ]);
  const blocked = new Set<number>();
  const steps: BlockingStep[] = [];
  try {
    const perform = async (action: Action): Promise<void> => {
      if ('client' in action) {
        const { client, commands } = action;
        const blockedBefore = blocked.size;
        const [a, b] = await Promise.all([
          ours.step(client, commands, blockedBefore),
          theirs.step(client, commands, blockedBefore),
        ]);
        steps.push({
          description: `client ${client}: ${commands.map((c) => c.join(' ')).join(' ; ')}`,
          ours: a,
          theirs: b,
        });
        if (b[client].length < commands.length) blocked.add(client);
        for (let c = 0; c < CLIENTS; c++) if (c !== client && b[c].length > 0) blocked.delete(c);
        return;
      }
      const [a, b] =
        'unblock' in action
          ? await Promise.all([
              ours.unblock(action.unblock, action.mode),
              theirs.unblock(action.unblock, action.mode),
            ])
          : await Promise.all([ours.kill(action.kill), theirs.kill(action.kill)]);
      const client = 'unblock' in action ? action.unblock : action.kill;
      steps.push({
        description:
          'unblock' in action
            ? `CLIENT UNBLOCK client ${client} ${action.mode}`
            : `CLIENT KILL client ${client}`,
        ours: a,
        theirs: b,
      });
      blocked.delete(client);
    };
    for (let action = next(blocked); action !== null; action = next(blocked)) {
      await perform(action);
    }
    for (const client of [...blocked].sort()) {
      await perform({ unblock: client, mode: 'TIMEOUT' });
    }
    const [a, b] = await Promise.all([ours.blockedCount(), theirs.blockedCount()]);
    steps.push({
      description: 'blocked_clients at the end',
      ours: [[String(a)]],
      theirs: [[String(b)]],
    });
  } finally {
    ours.close();
    theirs.close();
  }
  return steps;
}

/** A seeded walk of `length` steps: client 0 writes, the others write or wait. */
export function randomBlockingSteps(seed: number, length: number): NextStep {
  const random = seeded(seed);
  const state: WalkState = { lastId: 0 };
  let taken = 0;
  return (blocked) => {
    if (taken++ === length) return null;
    if (blocked.size > 0 && random() < 0.06) {
      const waiting = [...blocked];
      const client = waiting[Math.floor(random() * waiting.length)];
      const choice = random();
      if (choice < 0.4) return { unblock: client, mode: 'TIMEOUT' };
      return choice < 0.7 ? { unblock: client, mode: 'ERROR' } : { kill: client };
    }
    const free = Array.from({ length: CLIENTS }, (_, c) => c).filter((c) => !blocked.has(c));
    const client = free[Math.floor(random() * free.length)];
    const templates = client !== 0 && random() < 0.4 ? BLOCKING.waits : BLOCKING.templates;
    const template = templates[Math.floor(random() * templates.length)];
    const commands = template.split(' ; ').map((part) => expand(part, BLOCKING, random, state));
    return { client, commands };
  };
}

/** Fixed steps, for scenarios written out. */
export function fixedSteps(steps: Array<[client: number, ...commands: string[][]]>): NextStep {
  let index = 0;
  return () => {
    const step = steps[index++];
    return step === undefined ? null : { client: step[0], commands: step.slice(1) as string[][] };
  };
}

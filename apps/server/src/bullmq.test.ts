import { randomUUID } from 'node:crypto';
import { FlowProducer, Job, Queue, Worker, type WorkerOptions } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { until } from '@rc/test-support';
import {
  requireRedisOrSkip,
  startRc,
  startRedis,
  type RunningServer,
} from './test-support/servers.js';

/**
 * BullMQ, the job queue most Node applications put on Redis, against rc and against
 * redis-server: the same scenarios and assertions on both. Its scripts lean on Lua 5.1 numbers
 * (a prioritized job's score is priority * 2^32 + a counter).
 */
const targets: Array<{ name: string; start: () => Promise<RunningServer> }> = [
  { name: 'rc', start: startRc },
];
if (requireRedisOrSkip('BullMQ on redis-server')) {
  targets.push({ name: 'redis-server', start: startRedis });
}

// A generous wait for work a worker does in the background on a busy machine.
const WAIT_MS = 45_000;

describe.each(targets)('BullMQ on $name', ({ start }) => {
  let server: RunningServer;
  const closers: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    server = await start();
  });
  afterEach(async () => {
    // Workers first, so none is left polling a closed queue.
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(() => server.stop());

  const connection = () => ({ host: '127.0.0.1', port: server.port });

  function newQueue(): Queue {
    const queue = new Queue(`q-${randomUUID()}`, { connection: connection() });
    closers.push(() => queue.close());
    return queue;
  }

  /** A worker that records the names of the jobs it completes, in order. */
  function recordingWorker(
    queue: Queue,
    opts: Partial<WorkerOptions> = {},
    process: (job: Job) => Promise<unknown> = async () => 'done',
  ): { worker: Worker; completed: string[] } {
    const completed: string[] = [];
    const worker = new Worker(queue.name, process, { connection: connection(), ...opts });
    worker.on('completed', (job) => completed.push(job.name));
    closers.push(() => worker.close());
    return { worker, completed };
  }

  async function completions(completed: string[], count: number): Promise<void> {
    await until(() => completed.length >= count, `${count} completed jobs`, WAIT_MS);
  }

  it('prioritized jobs: getters and processing order', async () => {
    const queue = newQueue();
    await queue.add('p7', {}, { priority: 7 });
    await queue.add('p1', {}, { priority: 1 });
    await queue.add('plain', {});
    await queue.add('p3-first', {}, { priority: 3 });
    await queue.add('p3-second', {}, { priority: 3 });
    await queue.add('p3-third', {}, { priority: 3 });
    await queue.add('top', {}, { priority: 2_097_151 });

    expect(await queue.getJobCounts('prioritized', 'waiting')).toEqual({
      prioritized: 6,
      waiting: 1,
    });
    expect(await queue.getCountsPerPriority([1, 3, 7, 2_097_151, 9])).toEqual({
      '1': 1,
      '3': 3,
      '7': 1,
      '2097151': 1,
      '9': 0,
    });
    const prioritized = await queue.getPrioritized();
    expect(prioritized.map((job) => job.name)).toEqual([
      'p1',
      'p3-first',
      'p3-second',
      'p3-third',
      'p7',
      'top',
    ]);
    expect(await (await queue.getJob(prioritized[0]!.id!))!.getState()).toBe('prioritized');

    const { completed } = recordingWorker(queue);
    await completions(completed, 7);
    expect(completed).toEqual(['plain', 'p1', 'p3-first', 'p3-second', 'p3-third', 'p7', 'top']);
  });

  it('changePriority reorders waiting jobs', async () => {
    const queue = newQueue();
    const a = await queue.add('a', {}, { priority: 10 });
    const b = await queue.add('b', {}, { priority: 20 });
    const c = await queue.add('c', {}, { priority: 30 });
    const d = await queue.add('d', {});

    await b.changePriority({ priority: 5 });
    await c.changePriority({ priority: 0 });
    await d.changePriority({ priority: 15 });

    expect(await queue.getJobCounts('prioritized', 'waiting')).toEqual({
      prioritized: 3,
      waiting: 1,
    });
    expect((await queue.getPrioritized()).map((job) => job.name)).toEqual(['b', 'a', 'd']);
    expect(await c.getState()).toBe('waiting');
    expect((await queue.getJob(b.id!))!.priority).toBe(5);

    await a.changePriority({ priority: 5, lifo: true });
    expect((await queue.getPrioritized()).map((job) => job.name)).toEqual(['a', 'b', 'd']);

    const { completed } = recordingWorker(queue);
    await completions(completed, 4);
    expect(completed).toEqual(['c', 'a', 'b', 'd']);
  });

  it('a flow: prioritized children first, then their prioritized parent', async () => {
    const queue = newQueue();
    const flows = new FlowProducer({ connection: connection() });
    closers.push(() => flows.close());

    const tree = await flows.add({
      name: 'parent',
      queueName: queue.name,
      opts: { priority: 4 },
      children: [
        { name: 'low', queueName: queue.name, data: { n: 3 }, opts: { priority: 9 } },
        { name: 'high', queueName: queue.name, data: { n: 1 }, opts: { priority: 1 } },
        { name: 'mid', queueName: queue.name, data: { n: 2 }, opts: { priority: 5 } },
      ],
    });
    expect(await tree.job.getState()).toBe('waiting-children');
    expect(await tree.job.getDependenciesCount()).toEqual({
      processed: 0,
      unprocessed: 3,
      ignored: 0,
      failed: 0,
    });
    expect((await queue.getPrioritized()).map((job) => job.name)).toEqual(['high', 'mid', 'low']);

    let childrenValues: Record<string, unknown> = {};
    const { completed } = recordingWorker(queue, {}, async (job) => {
      if (job.name !== 'parent') return (job.data as { n: number }).n * 10;
      childrenValues = await job.getChildrenValues();
      return 'parent done';
    });
    await completions(completed, 4);

    expect(completed).toEqual(['high', 'mid', 'low', 'parent']);
    expect(Object.values(childrenValues).sort()).toEqual([10, 20, 30]);
    const parent = (await queue.getJob(tree.job.id!))!;
    expect(parent.returnvalue).toBe('parent done');
    expect(parent.opts.priority).toBe(4);
  });

  it('the rate limiter holds prioritized jobs back and keeps their priorities', async () => {
    const queue = newQueue();
    await queue.add('third', {}, { priority: 30 });
    await queue.add('first', {}, { priority: 10 });
    await queue.add('second', {}, { priority: 20 });

    // One job per minute: the first runs, the others wait for the limit to go.
    const limited = recordingWorker(queue, { limiter: { max: 1, duration: 60_000 } });
    await completions(limited.completed, 1);
    expect(limited.completed).toEqual(['first']);
    expect(await queue.getRateLimitTtl(1)).toBeGreaterThan(0);
    expect((await queue.getPrioritized()).map((job) => job.name)).toEqual(['second', 'third']);
    await limited.worker.close();

    // A job its processor puts back under a manual rate limit keeps its priority.
    expect(await queue.removeRateLimitKey()).toBe(1);
    expect(await queue.getRateLimitTtl(1)).toBe(0);
    let limitedOnce = false;
    const manual = recordingWorker(queue, {}, async (job) => {
      if (!limitedOnce) {
        limitedOnce = true;
        await manual.worker.rateLimit(60_000);
        throw Worker.RateLimitError();
      }
      return job.name;
    });
    await until(
      async () => limitedOnce && (await queue.getPrioritizedCount()) === 2,
      'the limited job back among the prioritized',
      WAIT_MS,
    );
    expect(await queue.getRateLimitTtl()).toBeGreaterThan(0);
    expect(await queue.getJobCounts('prioritized', 'active', 'completed')).toEqual({
      prioritized: 2,
      active: 0,
      completed: 1,
    });
    expect((await queue.getPrioritized()).map((job) => job.name)).toEqual(['second', 'third']);
    await manual.worker.close();

    await queue.removeRateLimitKey();
    const { completed } = recordingWorker(queue);
    await completions(completed, 2);
    expect(completed).toEqual(['second', 'third']);
  });

  it('delayed jobs: getters, changeDelay, promote, and a short delay that runs by itself', async () => {
    const queue = newQueue();
    const later = await queue.add('later', { v: 1 }, { delay: 60_000 });
    const soon = await queue.add('soon', {}, { delay: 300, priority: 2 });
    expect(await later.getState()).toBe('delayed');
    expect(await queue.getDelayedCount()).toBe(2);
    expect((await queue.getDelayed()).map((job) => job.name)).toEqual(['soon', 'later']);

    await later.changeDelay(120_000);
    expect((await queue.getJob(later.id!))!.delay).toBe(120_000);

    const { completed } = recordingWorker(queue);
    await completions(completed, 1);
    expect(completed).toEqual(['soon']);
    const ran = (await queue.getJob(soon.id!))!;
    expect(ran.processedOn! - ran.timestamp).toBeGreaterThanOrEqual(300);
    expect(await later.getState()).toBe('delayed');

    await later.promote();
    await completions(completed, 2);
    expect(completed).toEqual(['soon', 'later']);
    expect(await queue.getDelayedCount()).toBe(0);
  });

  it('repeatable jobs: a job scheduler every 300 ms and one on a cron pattern', async () => {
    const queue = newQueue();
    await queue.upsertJobScheduler('every-300', { every: 300 }, { name: 'tick', data: { k: 1 } });
    await queue.upsertJobScheduler(
      'each-second',
      { pattern: '* * * * * *' },
      { name: 'cron', data: { k: 2 } },
    );
    expect(await queue.getJobSchedulersCount()).toBe(2);
    const every = (await queue.getJobScheduler('every-300'))!;
    expect(every).toMatchObject({ key: 'every-300', name: 'tick', every: 300 });
    expect((await queue.getJobScheduler('each-second'))!).toMatchObject({
      key: 'each-second',
      name: 'cron',
      pattern: '* * * * * *',
    });

    const ids: string[] = [];
    const { worker, completed } = recordingWorker(queue, {}, async (job) => {
      ids.push(job.id!);
      return job.data;
    });
    await until(
      () => completed.filter((name) => name === 'tick').length >= 3 && completed.includes('cron'),
      'three ticks and a cron run',
      WAIT_MS,
    );
    await worker.close();

    // Each tick is scheduled a whole number of intervals after the one before.
    const tickMillis = ids
      .filter((id) => id.startsWith('repeat:every-300:'))
      .map((id) => Number(id.slice('repeat:every-300:'.length)))
      .sort((x, y) => x - y);
    for (let i = 1; i < tickMillis.length; i++) {
      const gap = tickMillis[i]! - tickMillis[i - 1]!;
      expect(gap > 0 && gap % 300 === 0).toBe(true);
    }
    expect(ids.some((id) => /^repeat:each-second:\d+000$/.test(id))).toBe(true);

    expect(await queue.removeJobScheduler('every-300')).toBe(true);
    expect(await queue.removeJobScheduler('each-second')).toBe(true);
    expect(await queue.getJobSchedulersCount()).toBe(0);
    expect(await queue.getDelayedCount()).toBe(0);
  });
});

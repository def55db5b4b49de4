import type { RdbStream } from '@rc/rdb';
import { MAX_ID, MIN_ID, Stream, type Consumer, type StreamNodeLimits } from '@rc/datatypes/stream';

// A stream to and from its RDB model, which carries everything a stream holds (entries, groups,
// consumers, pending entries): DUMP and SAVE write it, COPY duplicates a stream through it.

export function toRdbStream(stream: Stream): RdbStream {
  const entries = stream.range(MIN_ID, MAX_ID).map(({ id, fields }) => ({ id, fields }));
  return {
    entries,
    length: stream.length,
    lastId: stream.lastId,
    firstId: entries.length === 0 ? MIN_ID : entries[0].id,
    maxDeletedId: stream.maxDeletedId,
    entriesAdded: stream.entriesAdded,
    groups: [...stream.groups.values()].map((group) => ({
      name: group.name,
      lastId: group.lastId,
      entriesRead: group.entriesRead,
      pending: [...group.pending.ascending()].map(([, entry]) => ({
        id: entry.id,
        deliveryTime: entry.deliveryTime,
        deliveryCount: entry.deliveryCount,
        consumer: entry.consumer.name,
      })),
      consumers: [...group.consumers.values()].map((consumer) => ({
        name: consumer.name,
        seenTime: consumer.seenTime,
        activeTime: consumer.activeTime,
      })),
    })),
  };
}

export function fromRdbStream(source: RdbStream, limits: StreamNodeLimits): Stream {
  const stream = new Stream(limits);
  for (const { id, fields } of source.entries) stream.append(id, fields);
  stream.setLastId(source.lastId, source.entriesAdded, source.maxDeletedId);
  for (const group of source.groups) {
    const target = stream.createGroup(group.name, group.lastId, group.entriesRead);
    if (target === undefined) continue;
    for (const consumer of group.consumers) {
      target.consumer(consumer.name, consumer.seenTime).consumer.activeTime = consumer.activeTime;
    }
    for (const entry of group.pending) {
      const owner = target.consumer(entry.consumer, entry.deliveryTime).consumer as Consumer;
      const pending = target.deliver(entry.id, owner, entry.deliveryTime, false);
      pending.deliveryCount = entry.deliveryCount;
    }
  }
  return stream;
}

import { PackedList } from '@rc/datatypes/packed';
import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import { EventClass } from '../keyspace-events.js';
import type { Database } from '../keyspace.js';
import { parseFloatLoosely } from '../numbers.js';
import { integerArgument, isKeyword } from '../arguments.js';
import { wrongType } from '../typed-lookup.js';
import { storeResult } from '../store-result.js';
import { RedisHash, RedisSet, RedisZset } from '../values.js';

interface SortOptions {
  by: string | null;
  get: string[];
  offset: number;
  count: number;
  descending: boolean;
  alpha: boolean;
  store: string | null;
}

/**
 * Resolves a BY/GET pattern for one element, as Redis's lookupKeyByPattern: "#" is the element,
 * the first "*" is replaced by it, and "key->field" reads a hash field. Null when missing.
 */
function lookupByPattern(db: Database, pattern: string, element: string): string | null {
  if (pattern === '#') return element;
  const star = pattern.indexOf('*');
  if (star === -1) return null;
  const arrow = pattern.indexOf('->', star);
  const hasField = arrow !== -1 && arrow + 2 < pattern.length;
  const keyPattern = hasField ? pattern.slice(0, arrow) : pattern;
  const key = keyPattern.slice(0, star) + element + keyPattern.slice(star + 1);
  const value = db.lookup(key);
  if (value === undefined) return null;
  if (hasField)
    return value instanceof RedisHash ? (value.get(pattern.slice(arrow + 2)) ?? null) : null;
  return typeof value === 'string' ? value : null;
}

function parseOptions(
  client: Client,
  engine: Engine,
  argv: string[],
  readOnly: boolean,
): SortOptions | null {
  const options: SortOptions = {
    by: null,
    get: [],
    offset: 0,
    count: -1,
    descending: false,
    alpha: false,
    store: null,
  };
  for (let i = 2; i < argv.length; i++) {
    const option = argv[i];
    const left = argv.length - i - 1;
    if (isKeyword(option, 'asc')) options.descending = false;
    else if (isKeyword(option, 'desc')) options.descending = true;
    else if (isKeyword(option, 'alpha')) options.alpha = true;
    else if (isKeyword(option, 'limit') && left >= 2) {
      const offset = integerArgument(client, argv[i + 1]);
      if (offset === null) return null;
      const count = integerArgument(client, argv[i + 2]);
      if (count === null) return null;
      options.offset = offset;
      options.count = count;
      i += 2;
    } else if (isKeyword(option, 'store') && left >= 1 && !readOnly) {
      options.store = argv[++i];
    } else if (isKeyword(option, 'by') && left >= 1) {
      options.by = argv[++i];
      // Sorting by other keys reads keys no ACL check saw: it needs access to every key.
      if (options.by.includes('*') && !engine.mayReadEveryKey(client, argv)) {
        client.out.error('ERR BY option of SORT denied due to insufficient ACL permissions.');
        return null;
      }
    } else if (isKeyword(option, 'get') && left >= 1) {
      if (!engine.mayReadEveryKey(client, argv)) {
        client.out.error('ERR GET option of SORT denied due to insufficient ACL permissions.');
        return null;
      }
      options.get.push(argv[++i]);
    } else {
      client.out.error(Errors.syntax);
      return null;
    }
  }
  return options;
}

/** The elements to sort, in the value's own order, and what kind of value held them. */
function elementsOf(
  client: Client,
  key: string,
): { elements: string[]; from: 'list' | 'set' | 'zset' } | null {
  const value = client.db.lookup(key);
  if (value === undefined) return { elements: [], from: 'list' };
  if (value instanceof PackedList) return { elements: [...(value as PackedList)], from: 'list' };
  if (value instanceof RedisSet) return { elements: [...value], from: 'set' };
  if (value instanceof RedisZset) {
    // Redis turns a listpack sorted set into a skiplist to sort it, and it stays one.
    value.convertToSkiplist();
    return { elements: [...value].map((entry) => entry.member), from: 'zset' };
  }
  wrongType(client);
  return null;
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The reply's elements: the key's sorted (or not), limited, with GET patterns applied. Null
 * after replying an error.
 */
function sortedResults(
  client: Client,
  key: string,
  options: SortOptions,
): Array<string | null> | null {
  const input = elementsOf(client, key);
  if (input === null) return null;
  const elements = input.elements;
  const db = client.db;
  // BY without "*" (conventionally "nosort") keeps the input order, which DESC reverses for
  // lists and sorted sets. A set's is sorted ALPHA when the result is stored or goes to a
  // script, as in Redis, so replicas and the AOF, whose sets may iterate differently, agree.
  let sorting = options.by === null || options.by.includes('*');
  if (!sorting && input.from === 'set' && (options.store !== null || client.fromScript)) {
    sorting = true;
    options.alpha = true;
    options.by = null;
  }
  if (!sorting && input.from !== 'set' && options.descending) elements.reverse();
  if (sorting) {
    const weights = new Map<string, string | null>();
    for (const element of elements) {
      weights.set(
        element,
        options.by === null ? element : lookupByPattern(db, options.by, element),
      );
    }
    let compare: (a: string, b: string) => number;
    if (options.alpha) {
      compare = (a, b) => {
        const left = weights.get(a) ?? null;
        const right = weights.get(b) ?? null;
        if (left === null || right === null)
          return left === right ? compareBytes(a, b) : left === null ? -1 : 1;
        return compareBytes(left, right) || compareBytes(a, b);
      };
    } else {
      const scores = new Map<string, number>();
      for (const [element, weight] of weights) {
        const score = weight === null ? 0 : parseFloatLoosely(weight, true);
        if (score === null) {
          client.out.error("ERR One or more scores can't be converted into double");
          return null;
        }
        scores.set(element, score);
      }
      compare = (a, b) =>
        (scores.get(a) as number) - (scores.get(b) as number) || compareBytes(a, b);
    }
    elements.sort(options.descending ? (a, b) => compare(b, a) : compare);
  }
  let start = Math.max(0, options.offset);
  let end = options.count < 0 ? elements.length : start + options.count;
  if (start > elements.length) start = end = elements.length;
  end = Math.min(end, elements.length);
  const picked = elements.slice(start, end);
  const results: Array<string | null> = [];
  for (const element of picked) {
    if (options.get.length === 0) results.push(element);
    for (const pattern of options.get) results.push(lookupByPattern(db, pattern, element));
  }
  return results;
}

function sortGeneric(client: Client, argv: string[], engine: Engine, readOnly: boolean): void {
  const options = parseOptions(client, engine, argv, readOnly);
  if (options === null) return;
  // Redis reads the key and the BY/GET keys as a read command does, even for SORT ... STORE.
  const results = engine.readingKeys(() => sortedResults(client, argv[1], options));
  if (results === null) return;
  if (options.store === null) {
    client.out.array(results.length);
    for (const result of results) {
      if (result === null) client.out.nullBulk();
      else client.out.bulk(result);
    }
    return;
  }
  let stored: PackedList | null = null;
  if (results.length > 0) {
    stored = PackedList.from(results.map((result) => result ?? ''));
    engine.countChanges(results.length);
  }
  storeResult(client, engine, options.store, stored, EventClass.list, 'sortstore');
  client.out.integer(results.length);
}

export function sort(client: Client, argv: string[], engine: Engine): void {
  sortGeneric(client, argv, engine, false);
}

export function sort_ro(client: Client, argv: string[], engine: Engine): void {
  sortGeneric(client, argv, engine, true);
}

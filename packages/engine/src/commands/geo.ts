import type { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { Errors } from '../errors.js';
import {
  LATITUDE_RANGE,
  LONGITUDE_RANGE,
  cellScoreRange,
  distance,
  distanceIfInside,
  geohashString,
  pointToHash,
  scoreToPoint,
  searchCells,
  type Shape,
} from '../geohash.js';
import { EventClass } from '../keyspace-events.js';
import { formatLongDouble, longDoubleFromNumber } from '../long-double.js';
import { parseFloatStrict, parseInteger } from '../numbers.js';
import { WRONG_TYPE, lookupTyped } from '../typed-lookup.js';
import { isKeyword } from '../arguments.js';
import { addToZset, NO_ZADD_FLAGS, type ZaddFlags } from '../zset-add.js';
import { storeResult } from '../store-result.js';
import { encodingLimits, zsetFromEntries } from '../encodings.js';
import { RedisZset } from '../values.js';

const UNITS: Record<string, number> = { m: 1, km: 1000, ft: 0.3048, mi: 1609.34 };

function lookupZset(client: Client, key: string) {
  return lookupTyped(client, key, RedisZset);
}

/**
 * Coordinates as Redis prints them: "%.17Lf" of the exact value with trailing zeros removed,
 * as a bulk string in RESP2 and a double in RESP3 (where formatDouble's %.17g would differ).
 */
function replyCoordinates(client: Client, longitude: number, latitude: number): void {
  client.out.array(2);
  for (const value of [longitude, latitude]) {
    const text = formatLongDouble(longDoubleFromNumber(value));
    if (client.protocol === 3) client.out.raw(Buffer.from(`,${text}\r\n`, 'latin1'));
    else client.out.bulk(text);
  }
}

function replyDistance(client: Client, meters: number): void {
  client.out.bulk(meters.toFixed(4));
}

/**
 * C's "%f": six decimals, infinities as inf and -inf, the sign of -0 kept, and every digit of
 * a huge number (toFixed turns to exponent notation at 1e21).
 */
function fixed6(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Math.abs(value) >= 1e21) return `${BigInt(value)}.000000`;
  return Object.is(value, -0) ? '-0.000000' : value.toFixed(6);
}

/** A longitude/latitude pair from two arguments, or null after Redis's error. */
function pointArguments(
  client: Client,
  longitudeText: string,
  latitudeText: string,
): [number, number] | null {
  const longitude = parseFloatStrict(longitudeText);
  const latitude = parseFloatStrict(latitudeText);
  if (longitude === null || latitude === null) {
    client.out.error(Errors.notFloat);
    return null;
  }
  if (
    longitude < LONGITUDE_RANGE.min ||
    longitude > LONGITUDE_RANGE.max ||
    latitude < LATITUDE_RANGE.min ||
    latitude > LATITUDE_RANGE.max
  ) {
    client.out.error(
      `ERR invalid longitude,latitude pair ${fixed6(longitude)},${fixed6(latitude)}`,
    );
    return null;
  }
  return [longitude, latitude];
}

function unitArgument(client: Client, text: string): number | null {
  const conversion = UNITS[text.toLowerCase()];
  if (conversion === undefined) {
    client.out.error('ERR unsupported unit provided. please use M, KM, FT, MI');
    return null;
  }
  return conversion;
}

/** GEOADD key [NX|XX] [CH] longitude latitude member [...] */
export function geoadd(client: Client, argv: string[], engine: Engine): void {
  const flags: ZaddFlags = { ...NO_ZADD_FLAGS };
  let at = 2;
  for (; at < argv.length; at++) {
    if (isKeyword(argv[at], 'nx')) flags.nx = true;
    else if (isKeyword(argv[at], 'xx')) flags.xx = true;
    else if (isKeyword(argv[at], 'ch')) flags.ch = true;
    else break;
  }
  if ((argv.length - at) % 3 !== 0 || (flags.nx && flags.xx)) {
    client.out.error(Errors.syntax);
    return;
  }
  const hashes: bigint[] = [];
  const members: string[] = [];
  for (let i = at; i < argv.length; i += 3) {
    const point = pointArguments(client, argv[i], argv[i + 1]);
    if (point === null) return;
    hashes.push(pointToHash(point[0], point[1]));
    members.push(argv[i + 2]);
  }
  if (engine.propagation.active) {
    // As Redis, GEOADD runs (and propagates) as the ZADD it turns into, scores encoded.
    const zadd = ['zadd', ...argv.slice(1, at)];
    for (let i = 0; i < members.length; i++) zadd.push(String(hashes[i]), members[i]);
    engine.propagation.replaceCurrent(zadd);
  }
  addToZset(client, engine, argv[1], hashes.map(Number), members, flags);
}

export function geopos(client: Client, argv: string[]): void {
  const zset = lookupZset(client, argv[1]);
  if (zset === WRONG_TYPE) return;
  client.out.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const score = zset?.score(argv[i]);
    if (score === undefined) client.out.nullArray();
    else replyCoordinates(client, ...scoreToPoint(score));
  }
}

export function geohash(client: Client, argv: string[]): void {
  const zset = lookupZset(client, argv[1]);
  if (zset === WRONG_TYPE) return;
  client.out.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const score = zset?.score(argv[i]);
    if (score === undefined) client.out.nullBulk();
    else client.out.bulk(geohashString(...scoreToPoint(score)));
  }
}

export function geodist(client: Client, argv: string[]): void {
  let conversion = 1;
  if (argv.length === 5) {
    const unit = unitArgument(client, argv[4]);
    if (unit === null) return;
    conversion = unit;
  } else if (argv.length > 5) {
    client.out.error(Errors.syntax);
    return;
  }
  const zset = lookupZset(client, argv[1]);
  if (zset === WRONG_TYPE) return;
  const first = zset?.score(argv[2]);
  const second = zset?.score(argv[3]);
  if (first === undefined || second === undefined) {
    client.out.nullBulk();
    return;
  }
  const [lon1, lat1] = scoreToPoint(first);
  const [lon2, lat2] = scoreToPoint(second);
  replyDistance(client, distance(lon1, lat1, lon2, lat2) / conversion);
}

interface GeoPoint {
  member: string;
  score: number;
  distance: number;
  longitude: number;
  latitude: number;
}

/** Members inside the shape, found cell by cell in Redis's order (so unsorted output matches). */
function pointsInShape(zset: RedisZset, shape: Shape, limit: number): GeoPoint[] {
  const found: GeoPoint[] = [];
  let previous: bigint | null = null;
  let previousStep = -1;
  for (const cell of searchCells(shape)) {
    if (cell === null) continue;
    // Large radii can make neighbouring cells identical: scan each only once.
    if (previous !== null && cell.bits === previous && cell.step === previousStep) continue;
    if (limit > 0 && found.length >= limit) break;
    const [min, max] = cellScoreRange(cell);
    for (const entry of zset.rangeByScore(
      { value: min, exclusive: false },
      { value: max, exclusive: true },
    )) {
      const [longitude, latitude] = scoreToPoint(entry.score);
      const d = distanceIfInside(shape, longitude, latitude);
      if (d === null) continue;
      found.push({ member: entry.member, score: entry.score, distance: d, longitude, latitude });
      if (limit > 0 && found.length >= limit) break;
    }
    previous = cell.bits;
    previousStep = cell.step;
  }
  return found;
}

type SearchKind = 'radius' | 'radius-member' | 'search';

interface SearchOptions {
  withDist: boolean;
  withHash: boolean;
  withCoord: boolean;
  any: boolean;
  sort: 'none' | 'asc' | 'desc';
  count: number;
  store: string | null;
  storeDist: boolean;
}

/**
 * The engine behind GEORADIUS, GEORADIUSBYMEMBER, GEOSEARCH and GEOSEARCHSTORE, parsing and
 * checking options in Redis's order so that the same error wins.
 */
function geoSearch(
  client: Client,
  argv: string[],
  engine: Engine,
  kind: SearchKind,
  readOnly: boolean,
  store: boolean,
): void {
  const sourceIndex = store ? 2 : 1;
  // The STORE forms read their source as a read command does: a keyspace hit or miss.
  const source = engine.readingKeys(() => client.db.lookup(argv[sourceIndex]));
  if (source !== undefined && !(source instanceof RedisZset)) {
    client.out.error(Errors.wrongType);
    return;
  }
  let center: [number, number] | null = null;
  let radius: { radius: number; conversion: number } | null = null;
  let box: { width: number; height: number; conversion: number } | null = null;
  let base: number;
  if (kind === 'radius') {
    base = 6;
    center = pointArguments(client, argv[2], argv[3]);
    if (center === null) return;
    radius = radiusArguments(client, argv[4], argv[5]);
    if (radius === null) return;
  } else if (kind === 'radius-member') {
    base = 5;
    if (source !== undefined) {
      const score = source.score(argv[2]);
      if (score === undefined) {
        client.out.error('ERR could not decode requested zset member');
        return;
      }
      center = scoreToPoint(score);
      radius = radiusArguments(client, argv[3], argv[4]);
      if (radius === null) return;
    }
  } else base = store ? 3 : 2;
  const options: SearchOptions = {
    withDist: false,
    withHash: false,
    withCoord: false,
    any: false,
    sort: 'none',
    count: 0,
    store: store ? argv[1] : null,
    storeDist: false,
  };
  let fromMember = false;
  let fromLonLat = false;
  for (let i = base; i < argv.length; i++) {
    const arg = argv[i];
    const remaining = argv.length - i - 1;
    if (isKeyword(arg, 'withdist')) options.withDist = true;
    else if (isKeyword(arg, 'withhash')) options.withHash = true;
    else if (isKeyword(arg, 'withcoord')) options.withCoord = true;
    else if (isKeyword(arg, 'any')) options.any = true;
    else if (isKeyword(arg, 'asc')) options.sort = 'asc';
    else if (isKeyword(arg, 'desc')) options.sort = 'desc';
    else if (isKeyword(arg, 'count') && remaining >= 1) {
      const value = parseInteger(argv[++i]);
      if (value === null) {
        client.out.error(Errors.notInteger);
        return;
      }
      if (value <= 0) {
        client.out.error('ERR COUNT must be > 0');
        return;
      }
      options.count = Number(value);
    } else if (
      (isKeyword(arg, 'store') || isKeyword(arg, 'storedist')) &&
      remaining >= 1 &&
      !readOnly &&
      kind !== 'search'
    ) {
      options.store = argv[++i];
      options.storeDist = isKeyword(arg, 'storedist');
    } else if (isKeyword(arg, 'storedist') && kind === 'search' && store) {
      options.storeDist = true;
    } else if (isKeyword(arg, 'frommember') && remaining >= 1 && kind === 'search' && !fromLonLat) {
      const member = argv[++i];
      fromMember = true;
      if (source === undefined) continue;
      const score = source.score(member);
      if (score === undefined) {
        client.out.error('ERR could not decode requested zset member');
        return;
      }
      center = scoreToPoint(score);
    } else if (isKeyword(arg, 'fromlonlat') && remaining >= 2 && kind === 'search' && !fromMember) {
      center = pointArguments(client, argv[i + 1], argv[i + 2]);
      if (center === null) return;
      fromLonLat = true;
      i += 2;
    } else if (isKeyword(arg, 'byradius') && remaining >= 2 && kind === 'search' && box === null) {
      radius = radiusArguments(client, argv[i + 1], argv[i + 2]);
      if (radius === null) return;
      i += 2;
    } else if (isKeyword(arg, 'bybox') && remaining >= 3 && kind === 'search' && radius === null) {
      box = boxArguments(client, argv[i + 1], argv[i + 2], argv[i + 3]);
      if (box === null) return;
      i += 3;
    } else {
      client.out.error(Errors.syntax);
      return;
    }
  }
  if (options.store !== null && (options.withDist || options.withHash || options.withCoord)) {
    const name = store ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS';
    client.out.error(`ERR ${name} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
    return;
  }
  if (kind === 'search' && !(fromMember || fromLonLat)) {
    client.out.error(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${argv[0]}`);
    return;
  }
  if (kind === 'search' && radius === null && box === null) {
    client.out.error(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${argv[0]}`);
    return;
  }
  if (options.any && options.count === 0) {
    client.out.error('ERR the ANY argument requires COUNT argument');
    return;
  }
  if (source === undefined || center === null) {
    if (options.store !== null) {
      if (client.db.delete(options.store))
        engine.notify(client.db, EventClass.generic, 'del', options.store);
      client.out.integer(0);
    } else client.out.array(0);
    return;
  }
  if (options.count !== 0 && options.sort === 'none' && !options.any) options.sort = 'asc';
  const shape: Shape = radius
    ? {
        kind: 'radius',
        longitude: center[0],
        latitude: center[1],
        radius: radius.radius,
        conversion: radius.conversion,
      }
    : {
        kind: 'box',
        longitude: center[0],
        latitude: center[1],
        ...(box as { width: number; height: number; conversion: number }),
      };
  const points = pointsInShape(source, shape, options.any ? options.count : 0);
  if (options.sort !== 'none') {
    const direction = options.sort === 'asc' ? 1 : -1;
    points.sort((a, b) => (a.distance - b.distance) * direction);
  }
  const returned = points.slice(0, options.count === 0 ? undefined : options.count);
  for (const point of returned) point.distance /= shape.conversion;
  if (options.store !== null) {
    storeResults(client, engine, options, returned, store ? 'geosearchstore' : 'georadiusstore');
    return;
  }
  const extras = Number(options.withDist) + Number(options.withHash) + Number(options.withCoord);
  client.out.array(returned.length);
  for (const point of returned) {
    if (extras > 0) client.out.array(extras + 1);
    client.out.bulk(point.member);
    if (options.withDist) replyDistance(client, point.distance);
    if (options.withHash) client.out.integer(point.score);
    if (options.withCoord) replyCoordinates(client, point.longitude, point.latitude);
  }
}

function storeResults(
  client: Client,
  engine: Engine,
  options: SearchOptions,
  points: GeoPoint[],
  event: string,
): void {
  const key = options.store as string;
  let result: RedisZset | null = null;
  if (points.length > 0) {
    const entries = points.map((point) => ({
      member: point.member,
      score: options.storeDist ? point.distance : point.score,
    }));
    result = zsetFromEntries(entries, encodingLimits(engine.config));
    engine.countChanges(points.length);
  }
  storeResult(client, engine, key, result, EventClass.zset, event);
  client.out.integer(points.length);
}

function radiusArguments(client: Client, radiusText: string, unitText: string) {
  const radius = parseFloatStrict(radiusText);
  if (radius === null) {
    client.out.error('ERR need numeric radius');
    return null;
  }
  if (radius < 0) {
    client.out.error('ERR radius cannot be negative');
    return null;
  }
  const conversion = unitArgument(client, unitText);
  return conversion === null ? null : { radius, conversion };
}

function boxArguments(client: Client, widthText: string, heightText: string, unitText: string) {
  const width = parseFloatStrict(widthText);
  if (width === null) {
    client.out.error('ERR need numeric width');
    return null;
  }
  const height = parseFloatStrict(heightText);
  if (height === null) {
    client.out.error('ERR need numeric height');
    return null;
  }
  if (width < 0 || height < 0) {
    client.out.error('ERR height or width cannot be negative');
    return null;
  }
  const conversion = unitArgument(client, unitText);
  return conversion === null ? null : { width, height, conversion };
}

export function georadius(client: Client, argv: string[], engine: Engine): void {
  geoSearch(client, argv, engine, 'radius', false, false);
}

export function georadius_ro(client: Client, argv: string[], engine: Engine): void {
  geoSearch(client, argv, engine, 'radius', true, false);
}

export function georadiusbymember(client: Client, argv: string[], engine: Engine): void {
  geoSearch(client, argv, engine, 'radius-member', false, false);
}

export function georadiusbymember_ro(client: Client, argv: string[], engine: Engine): void {
  geoSearch(client, argv, engine, 'radius-member', true, false);
}

export function geosearch(client: Client, argv: string[], engine: Engine): void {
  geoSearch(client, argv, engine, 'search', true, false);
}

export function geosearchstore(client: Client, argv: string[], engine: Engine): void {
  geoSearch(client, argv, engine, 'search', false, true);
}

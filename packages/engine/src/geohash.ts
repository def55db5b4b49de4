/**
 * Redis's geohash: 26 bits of latitude and 26 of longitude interleaved into a 52-bit integer
 * that is stored as a sorted-set score, with the neighbour-box search around a point.
 * Latitudes are limited to ±85.05112878 (the Web Mercator square).
 */

export const LONGITUDE_RANGE = { min: -180, max: 180 } as const;
export const LATITUDE_RANGE = { min: -85.05112878, max: 85.05112878 } as const;
export const STEP_MAX = 26;
export const EARTH_RADIUS_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
const DEGREES_TO_RADIANS = Math.PI / 180;

export interface Range {
  readonly min: number;
  readonly max: number;
}

export interface GeoHash {
  bits: bigint;
  step: number;
}

export interface Area {
  longitude: Range;
  latitude: Range;
}

function radians(degrees: number): number {
  return degrees * DEGREES_TO_RADIANS;
}

function degrees(radiansValue: number): number {
  return radiansValue / DEGREES_TO_RADIANS;
}

/** Spreads the low 32 bits of x to even positions and y to odd positions. */
function interleave(x: number, y: number): bigint {
  let bits = 0n;
  for (let i = 0; i < 32; i++) {
    if ((x >>> i) & 1) bits |= 1n << BigInt(2 * i);
    if ((y >>> i) & 1) bits |= 1n << BigInt(2 * i + 1);
  }
  return bits;
}

function deinterleave(bits: bigint): [number, number] {
  let x = 0;
  let y = 0;
  for (let i = 0; i < 32; i++) {
    if ((bits >> BigInt(2 * i)) & 1n) x += 2 ** i;
    if ((bits >> BigInt(2 * i + 1)) & 1n) y += 2 ** i;
  }
  return [x, y];
}

export function encode(
  longitude: number,
  latitude: number,
  step: number,
  latitudeRange: Range = LATITUDE_RANGE,
): GeoHash {
  const scale = 2 ** step;
  // Truncation to an unsigned 32-bit integer, as the C cast does.
  const latitudeOffset = Math.trunc(
    ((latitude - latitudeRange.min) / (latitudeRange.max - latitudeRange.min)) * scale,
  );
  const longitudeOffset = Math.trunc(
    ((longitude - LONGITUDE_RANGE.min) / (LONGITUDE_RANGE.max - LONGITUDE_RANGE.min)) * scale,
  );
  return { bits: interleave(latitudeOffset >>> 0, longitudeOffset >>> 0), step };
}

export function decode(hash: GeoHash, latitudeRange: Range = LATITUDE_RANGE): Area {
  const [latitudeBits, longitudeBits] = deinterleave(hash.bits);
  const scale = 2 ** hash.step;
  const latitudeScale = latitudeRange.max - latitudeRange.min;
  const longitudeScale = LONGITUDE_RANGE.max - LONGITUDE_RANGE.min;
  return {
    latitude: {
      min: latitudeRange.min + (latitudeBits / scale) * latitudeScale,
      max: latitudeRange.min + ((latitudeBits + 1) / scale) * latitudeScale,
    },
    longitude: {
      min: LONGITUDE_RANGE.min + (longitudeBits / scale) * longitudeScale,
      max: LONGITUDE_RANGE.min + ((longitudeBits + 1) / scale) * longitudeScale,
    },
  };
}

const TWO_POW_63 = 2 ** 63;

/**
 * A score as Redis reads it as a geohash, `(uint64_t)score` compiled for x86-64: truncated, with
 * what the conversion instructions give outside the range (any score can sit in a geo key).
 */
function scoreBits(score: number): bigint {
  if (score <= -TWO_POW_63) return 1n << 63n;
  if (score < TWO_POW_63) return BigInt.asUintN(64, BigInt(Math.trunc(score)));
  if (score < 2 * TWO_POW_63) return BigInt(Math.trunc(score));
  return 0n;
}

/** The centre of a score's cell: [longitude, latitude], clamped to the valid ranges. */
export function scoreToPoint(score: number): [number, number] {
  const area = decode({ bits: scoreBits(score), step: STEP_MAX });
  const longitude = Math.min(
    LONGITUDE_RANGE.max,
    Math.max(LONGITUDE_RANGE.min, (area.longitude.min + area.longitude.max) / 2),
  );
  const latitude = Math.min(
    LATITUDE_RANGE.max,
    Math.max(LATITUDE_RANGE.min, (area.latitude.min + area.latitude.max) / 2),
  );
  return [longitude, latitude];
}

/**
 * A point's geohash as an integer. At longitude 180 it takes 54 bits, past a double's exact
 * integers: the score stored is its nearest double, while Redis propagates the integer itself.
 */
export function pointToHash(longitude: number, latitude: number): bigint {
  return encode(longitude, latitude, STEP_MAX).bits;
}

/** The standard 11-character geohash (latitude range ±90) that GEOHASH reports. */
export function geohashString(longitude: number, latitude: number): string {
  const alphabet = '0123456789bcdefghjkmnpqrstuvwxyz';
  const { bits } = encode(longitude, latitude, STEP_MAX, { min: -90, max: 90 });
  let text = '';
  for (let i = 0; i < 11; i++) {
    // 52 bits make 10.4 characters; the 11th is zero, as Redis outputs it.
    const index = i === 10 ? 0 : Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn);
    text += alphabet[index];
  }
  return text;
}

export function latitudeDistance(latitude1: number, latitude2: number): number {
  return EARTH_RADIUS_METERS * Math.abs(radians(latitude2) - radians(latitude1));
}

/** Haversine distance in meters, with Redis's shortcut when the longitudes are equal. */
export function distance(
  longitude1: number,
  latitude1: number,
  longitude2: number,
  latitude2: number,
): number {
  const v = Math.sin((radians(longitude2) - radians(longitude1)) / 2);
  if (v === 0) return latitudeDistance(latitude1, latitude2);
  const lat1 = radians(latitude1);
  const lat2 = radians(latitude2);
  const u = Math.sin((lat2 - lat1) / 2);
  const a = u * u + Math.cos(lat1) * Math.cos(lat2) * v * v;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.sqrt(a));
}

export type Shape =
  | { kind: 'radius'; longitude: number; latitude: number; radius: number; conversion: number }
  | {
      kind: 'box';
      longitude: number;
      latitude: number;
      width: number;
      height: number;
      conversion: number;
    };

/** Distance from the shape's centre when the point is inside the shape, else null. */
export function distanceIfInside(shape: Shape, longitude: number, latitude: number): number | null {
  if (shape.kind === 'radius') {
    const d = distance(shape.longitude, shape.latitude, longitude, latitude);
    return d > shape.radius * shape.conversion ? null : d;
  }
  if (latitudeDistance(latitude, shape.latitude) > (shape.height * shape.conversion) / 2)
    return null;
  if (
    distance(longitude, latitude, shape.longitude, latitude) >
    (shape.width * shape.conversion) / 2
  )
    return null;
  return distance(shape.longitude, shape.latitude, longitude, latitude);
}

function estimateSteps(rangeMeters: number, latitude: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (latitude > 66 || latitude < -66) {
    step--;
    if (latitude > 80 || latitude < -80) step--;
  }
  return Math.min(26, Math.max(1, step));
}

function boundingBox(shape: Shape): {
  minLongitude: number;
  minLatitude: number;
  maxLongitude: number;
  maxLatitude: number;
} {
  const { longitude, latitude, conversion } = shape;
  const height = conversion * (shape.kind === 'radius' ? shape.radius : shape.height / 2);
  const width = conversion * (shape.kind === 'radius' ? shape.radius : shape.width / 2);
  const latitudeDelta = degrees(height / EARTH_RADIUS_METERS);
  const longitudeDeltaTop = degrees(
    width / EARTH_RADIUS_METERS / Math.cos(radians(latitude + latitudeDelta)),
  );
  const longitudeDeltaBottom = degrees(
    width / EARTH_RADIUS_METERS / Math.cos(radians(latitude - latitudeDelta)),
  );
  const southern = latitude < 0;
  return {
    minLongitude: southern ? longitude - longitudeDeltaBottom : longitude - longitudeDeltaTop,
    maxLongitude: southern ? longitude + longitudeDeltaBottom : longitude + longitudeDeltaTop,
    minLatitude: latitude - latitudeDelta,
    maxLatitude: latitude + latitudeDelta,
  };
}

const ODD = 0xaaaaaaaaaaaaaaaan;
const EVEN = 0x5555555555555555n;

function moveX(hash: GeoHash, direction: number): GeoHash {
  if (direction === 0) return hash;
  const shift = BigInt(64 - hash.step * 2);
  let x = hash.bits & ODD;
  const y = hash.bits & EVEN;
  const zz = EVEN >> shift;
  x = direction > 0 ? x + (zz + 1n) : (x | zz) - (zz + 1n);
  x &= ODD >> shift;
  return { bits: x | y, step: hash.step };
}

function moveY(hash: GeoHash, direction: number): GeoHash {
  if (direction === 0) return hash;
  const shift = BigInt(64 - hash.step * 2);
  const x = hash.bits & ODD;
  let y = hash.bits & EVEN;
  const zz = ODD >> shift;
  y = direction > 0 ? y + (zz + 1n) : (y | zz) - (zz + 1n);
  y &= EVEN >> shift;
  return { bits: x | y, step: hash.step };
}

/**
 * The cells to scan around the shape's centre, in Redis's order: centre, north, south, east,
 * west, north-east, north-west, south-east, south-west; null marks a cell left out.
 */
export function searchCells(shape: Shape): Array<GeoHash | null> {
  const bounds = boundingBox(shape);
  const radiusMeters =
    (shape.kind === 'radius'
      ? shape.radius
      : Math.sqrt((shape.width / 2) ** 2 + (shape.height / 2) ** 2)) * shape.conversion;
  let steps = estimateSteps(radiusMeters, shape.latitude);
  const around = (step: number) => {
    const center = encode(shape.longitude, shape.latitude, step);
    return {
      center,
      north: moveY(center, 1),
      south: moveY(center, -1),
      east: moveX(center, 1),
      west: moveX(center, -1),
      northEast: moveY(moveX(center, 1), 1),
      northWest: moveY(moveX(center, -1), 1),
      southEast: moveY(moveX(center, 1), -1),
      southWest: moveY(moveX(center, -1), -1),
    };
  };
  let cells = around(steps);
  const tooCoarse =
    decode(cells.north).latitude.max < bounds.maxLatitude ||
    decode(cells.south).latitude.min > bounds.minLatitude ||
    decode(cells.east).longitude.max < bounds.maxLongitude ||
    decode(cells.west).longitude.min > bounds.minLongitude;
  if (steps > 1 && tooCoarse) {
    steps--;
    cells = around(steps);
  }
  const area = decode(cells.center);
  const keep = { ...cells } as Record<keyof typeof cells, GeoHash | null>;
  if (steps >= 2) {
    if (area.latitude.min < bounds.minLatitude) keep.south = keep.southWest = keep.southEast = null;
    if (area.latitude.max > bounds.maxLatitude) keep.north = keep.northEast = keep.northWest = null;
    if (area.longitude.min < bounds.minLongitude)
      keep.west = keep.southWest = keep.northWest = null;
    if (area.longitude.max > bounds.maxLongitude)
      keep.east = keep.southEast = keep.northEast = null;
  }
  return [
    keep.center,
    keep.north,
    keep.south,
    keep.east,
    keep.west,
    keep.northEast,
    keep.northWest,
    keep.southEast,
    keep.southWest,
  ];
}

/** The score range [min, max) a cell covers at full precision. */
export function cellScoreRange(cell: GeoHash): [number, number] {
  const shift = BigInt(52 - cell.step * 2);
  return [Number(cell.bits << shift), Number((cell.bits + 1n) << shift)];
}

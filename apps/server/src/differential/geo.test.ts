import { describe, it } from 'vitest';
import { useDifferential } from '../test-support/differential.js';
import { requireRedisOrSkip } from '../test-support/servers.js';

describe.runIf(requireRedisOrSkip('geo differential'))('geo, compared with redis-server', () => {
  const servers = useDifferential();
  const cities = [
    'GEOADD',
    'Sicily',
    '13.361389',
    '38.115556',
    'Palermo',
    '15.087269',
    '37.502669',
    'Catania',
    '12.758489',
    '38.788135',
    'edge1',
    '17.241510',
    '38.788135',
    'edge2',
  ];

  for (const protocol of [2, 3] as const) {
    it(`GEOADD, GEOPOS, GEODIST, GEOHASH (RESP${protocol})`, () =>
      servers.compare(
        [
          cities,
          ['GEOADD', 'Sicily', 'NX', 'CH', '13.361389', '38.115556', 'Palermo'],
          ['GEOADD', 'Sicily', 'XX', 'CH', '13.5', '38.1', 'Palermo'],
          ['GEOADD', 'Sicily', 'NX', 'XX', '13.5', '38.1', 'Palermo'],
          ['GEOADD', 'Sicily', '200', '38.1', 'bad'],
          ['GEOADD', 'Sicily', '13', '86', 'bad'],
          ['GEOADD', 'Sicily', 'x', '38.1', 'bad'],
          ['GEOADD', 'Sicily', '13', '38.1'],
          ['GEOPOS', 'Sicily', 'Palermo', 'none', 'Catania'],
          ['GEODIST', 'Sicily', 'Palermo', 'Catania'],
          ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'km'],
          ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'MI'],
          ['GEODIST', 'Sicily', 'Palermo', 'none'],
          ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'parsec'],
          ['GEOHASH', 'Sicily', 'Palermo', 'Catania', 'none'],
          ['ZSCORE', 'Sicily', 'Catania'],
        ],
        { protocol },
      ));

    it(`GEOSEARCH and GEORADIUS with options (RESP${protocol})`, () =>
      servers.compare(
        [
          cities,
          ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'ASC'],
          [
            'GEOSEARCH',
            'Sicily',
            'FROMLONLAT',
            '15',
            '37',
            'BYRADIUS',
            '200',
            'km',
            'DESC',
            'WITHCOORD',
            'WITHDIST',
            'WITHHASH',
          ],
          [
            'GEOSEARCH',
            'Sicily',
            'FROMLONLAT',
            '15',
            '37',
            'BYBOX',
            '400',
            '400',
            'km',
            'ASC',
            'WITHDIST',
          ],
          ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '300', 'km', 'COUNT', '2'],
          ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '300', 'km'],
          ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'none', 'BYRADIUS', '300', 'km'],
          ['GEOSEARCH', 'Sicily', 'BYRADIUS', '300', 'km'],
          ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37'],
          ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '-1', 'km'],
          ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km', 'ANY'],
          ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km', 'COUNT', '0'],
          [
            'GEOSEARCHSTORE',
            'dst',
            'Sicily',
            'FROMLONLAT',
            '15',
            '37',
            'BYRADIUS',
            '200',
            'km',
            'STOREDIST',
          ],
          ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
          [
            'GEOSEARCHSTORE',
            'dst',
            'Sicily',
            'FROMLONLAT',
            '15',
            '37',
            'BYRADIUS',
            '200',
            'km',
            'WITHDIST',
          ],
          ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHDIST', 'ASC'],
          ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'dst2'],
          ['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '200', 'km', 'ASC'],
          ['GEORADIUS_RO', 'Sicily', '15', '37', '200', 'km', 'STORE', 'x'],
          ['GEOSEARCH', 'none', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'],
        ],
        { protocol },
      ));
  }
});

/**
 * Redis's redisLrand48 (src/rand.c): the 48-bit linear congruential generator of drand48,
 * x' = (0x5DEECE66D * x + 0xB) mod 2^48, which Redis gives scripts as math.random so that
 * every platform draws the same sequence. One per server: Redis 7.0 never reseeds it between
 * scripts, only math.randomseed does.
 */
export class RedisRandom {
  private state = RedisRandom.initial(0x1234abcd);

  /** The state srand48-style seeding gives: seed's 32 bits above 0x330E. */
  private static initial(seed: number): bigint {
    return (BigInt(seed >>> 0) << 16n) | 0x330en;
  }

  /** redisSrand48. */
  seed(seed: number): void {
    this.state = RedisRandom.initial(seed);
  }

  /** redisLrand48: the next state's high 31 bits. */
  next(): number {
    this.state = (this.state * 0x5deece66dn + 0xbn) & 0xffffffffffffn;
    return Number(this.state >> 17n);
  }
}

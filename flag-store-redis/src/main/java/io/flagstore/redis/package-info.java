/**
 * For applications and operators using Redis as the flag store: {@link io.flagstore.redis.RedisOptions}
 * (where Redis is and which namespace), {@link io.flagstore.redis.FlagAdmin} (atomic writes, audit
 * history, presence) and the Redis flag source. The Redis layout is described in docs/redis-layout.md.
 */
package io.flagstore.redis;

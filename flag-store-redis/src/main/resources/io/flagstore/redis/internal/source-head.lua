-- flag-store RedisFlagSource: the namespace version and epoch, read together (periodic reconcile).
-- KEYS: 1 version, 2 meta
return {tonumber(redis.call('GET', KEYS[1]) or '0') or 0, redis.call('HGET', KEYS[2], 'epoch') or ''}

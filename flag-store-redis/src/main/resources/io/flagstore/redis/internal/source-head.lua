-- flag-store RedisFlagSource: the namespace version, epoch and epoch origin, read together (periodic reconcile).
-- KEYS: 1 version, 2 meta
local meta = redis.call('HMGET', KEYS[2], 'epoch', 'origin')
return {tonumber(redis.call('GET', KEYS[1]) or '0') or 0, meta[1] or '', meta[2] or ''}

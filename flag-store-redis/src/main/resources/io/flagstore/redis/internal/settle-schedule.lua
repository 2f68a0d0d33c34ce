-- Settles a pending scheduled change without applying it (cancelled, or failed at run time), if and
-- only if it removes the id from the schedule zset: a change is settled once, by one scheduler or admin.
--
-- KEYS: 1 schedule zset, 2 the change's hash, 3 audit stream
-- ARGV: 1 id, 2 state ('cancelled' | 'failed'), 3 audit op, 4 actor, 5 detail (the error, or the
--       cancel reason), 6 audit max length, 7 seconds to keep the settled hash, 8 this call's id
-- Returns 1 if settled, 0 if the id was no longer pending. A call sent again after its reply was
-- lost finds the change settled under its own call id, and returns 1 again without a second entry.
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then
  if redis.call('TYPE', KEYS[2]).ok == 'hash' and redis.call('HGET', KEYS[2], 'settledCall') == ARGV[8] then
    return 1
  end
  return 0
end
local now = redis.call('TIME')
local ts = string.format('%d', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
redis.call('HSET', KEYS[2], 'id', ARGV[1], 'state', ARGV[2], 'settledAt', ts, 'settledBy', ARGV[4],
  'detail', ARGV[5], 'settledCall', ARGV[8])
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[7]))
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'version', '0', 'op', ARGV[3],
  'keys', redis.call('HGET', KEYS[2], 'keys') or '', 'actor', ARGV[4], 'reason', ARGV[5], 'ts', ts,
  'before', '[]', 'after', '[]', 'schedule', ARGV[1])
return 1

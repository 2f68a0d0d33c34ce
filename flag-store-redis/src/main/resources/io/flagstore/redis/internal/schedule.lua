-- Stores scheduled changes, all or nothing (docs/scheduling.md): a hash per change, its id in the
-- schedule zset scored by due time (epoch ms), one audit entry (op 'schedule', version 0) per change.
--
-- KEYS: 1 schedule zset, 2 audit stream, 2+i the hash of change i
-- ARGV: 1 actor, 2 reason, 3 audit max length, 4 change count, then per change:
--       id, due (epoch ms), flag keys (comma-separated), change (JSON)
-- Returns the creation time (epoch ms); FLAGSTORE_ID_TAKEN <id> if an id is in use (nothing stored).
-- The ids are fresh per call, so a first change already stored with this call's due time, change
-- and actor means this call ran before (a client re-sends a command whose reply was lost): it
-- returns that creation time and stores nothing again.
local count = tonumber(ARGV[4])
if count > 0 and redis.call('TYPE', KEYS[3]).ok == 'hash' then
  local first = redis.call('HMGET', KEYS[3], 'due', 'change', 'actor', 'created')
  if first[1] == ARGV[6] and first[2] == ARGV[8] and first[3] == ARGV[1] and first[4] then
    return tonumber(first[4])
  end
end
for i = 1, count do
  if redis.call('EXISTS', KEYS[2 + i]) == 1 then
    return redis.error_reply('FLAGSTORE_ID_TAKEN ' .. ARGV[1 + 4 * i])
  end
end
local now = redis.call('TIME')
local ts = string.format('%d', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
for i = 1, count do
  local at = 1 + 4 * i
  local id, due, keys, change = ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3]
  redis.call('HSET', KEYS[2 + i], 'id', id, 'due', due, 'keys', keys, 'change', change,
    'actor', ARGV[1], 'reason', ARGV[2], 'created', ts, 'state', 'pending')
  redis.call('ZADD', KEYS[1], due, id)
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'version', '0', 'op', 'schedule',
    'keys', keys, 'actor', ARGV[1], 'reason', ARGV[2], 'ts', ts, 'before', '[]', 'after', '[]',
    'schedule', id, 'due', due)
end
return tonumber(ts)

-- flag-store write script: one atomic mutation of a namespace (docs/redis-layout.md, "The write script").
-- Checks every expected version first and fails with FLAGSTORE_CONFLICT before writing anything.
--
-- KEYS: 1 version, 2 meta, 3 flags zset, 4 segments zset, 5 deleted zset, 6 audit stream,
--       6+i the hash of item i
-- ARGV: 1 epoch for a new namespace, 2 schema version, 3 op, 4 actor, 5 reason, 6 audit keys,
--       7 before (JSON array), 8 after (JSON array), 9 beforeSegments, 10 afterSegments ('' = none),
--       11 message body (everything after "ts":..,), 12 channel, 13 deletion log limit,
--       14 audit max length, 15 item count, then per item:
--       kind ('flag' | 'segment'), action ('put' | 'del'), key, expected version
--       (-1 must not exist, -2 any, else exact), field count n, n field/value pairs
-- Returns {version, receivers, ts (epoch ms)}.

local function iso_time(ms)
  local secs = math.floor(ms / 1000)
  local millis = ms - secs * 1000
  local days = math.floor(secs / 86400)
  local rem = secs - days * 86400
  -- days since 1970-01-01 to a civil date (H. Hinnant's algorithm)
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return string.format('%04d-%02d-%02dT%02d:%02d:%02d.%03dZ', y, m, d,
    math.floor(rem / 3600), math.floor((rem % 3600) / 60), rem % 60, millis)
end

local index = { flag = KEYS[3], segment = KEYS[4] }
local items = {}
local pos = 16
for i = 1, tonumber(ARGV[15]) do
  local item = { kind = ARGV[pos], action = ARGV[pos + 1], key = ARGV[pos + 2],
                 expected = tonumber(ARGV[pos + 3]), hash = KEYS[6 + i], first = pos + 5 }
  item.last = pos + 4 + 2 * tonumber(ARGV[pos + 4])
  pos = item.last + 1
  local score = redis.call('ZSCORE', index[item.kind], item.key)
  local actual = score and tonumber(score) or 0
  local exists = score ~= false or redis.call('EXISTS', item.hash) == 1
  if (item.expected == -1 and exists) or (item.expected >= 0 and actual ~= item.expected) then
    return redis.error_reply(string.format('FLAGSTORE_CONFLICT %s %s %d %d',
      item.kind, item.key, item.expected, actual))
  end
  items[i] = item
end

local version = redis.call('INCR', KEYS[1])
local now = redis.call('TIME')
local ts = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local updated_at = iso_time(ts)
redis.call('HSETNX', KEYS[2], 'epoch', ARGV[1])
redis.call('HSETNX', KEYS[2], 'schemaVersion', ARGV[2])
redis.call('HSETNX', KEYS[2], 'createdAt', updated_at)
local epoch = redis.call('HGET', KEYS[2], 'epoch')

local deleted_any = false
for _, item in ipairs(items) do
  local member = item.kind == 'flag' and item.key or ('segment:' .. item.key)
  redis.call('DEL', item.hash)
  if item.action == 'put' then
    local args = { item.hash }
    for j = item.first, item.last do
      args[#args + 1] = ARGV[j]
    end
    args[#args + 1] = 'version'
    args[#args + 1] = version
    args[#args + 1] = 'updatedAt'
    args[#args + 1] = updated_at
    redis.call('HSET', unpack(args))
    redis.call('ZADD', index[item.kind], version, item.key)
    redis.call('ZREM', KEYS[5], member)
  else
    redis.call('ZREM', index[item.kind], item.key)
    redis.call('ZADD', KEYS[5], version, member)
    deleted_any = true
  end
end

if deleted_any then
  local excess = redis.call('ZCARD', KEYS[5]) - tonumber(ARGV[13])
  if excess > 0 then
    local last_trimmed = redis.call('ZRANGE', KEYS[5], excess - 1, excess - 1, 'WITHSCORES')
    redis.call('ZREMRANGEBYRANK', KEYS[5], 0, excess - 1)
    local trimmed_to = tonumber(last_trimmed[2])
    local previous = tonumber(redis.call('HGET', KEYS[2], 'deletedTrimmedTo') or '0') or 0
    if trimmed_to > previous then
      redis.call('HSET', KEYS[2], 'deletedTrimmedTo', string.format('%d', trimmed_to))
    end
  end
end

local audit = { KEYS[6], 'MAXLEN', '~', ARGV[14], '*',
  'version', version, 'op', ARGV[3], 'keys', ARGV[6], 'actor', ARGV[4], 'reason', ARGV[5],
  'ts', string.format('%d', ts), 'before', ARGV[7], 'after', ARGV[8] }
if ARGV[9] ~= '' then
  audit[#audit + 1] = 'beforeSegments'
  audit[#audit + 1] = ARGV[9]
  audit[#audit + 1] = 'afterSegments'
  audit[#audit + 1] = ARGV[10]
end
redis.call('XADD', unpack(audit))

local message = '{"v":' .. string.format('%d', version) .. ',"epoch":' .. cjson.encode(epoch)
  .. ',"ts":' .. string.format('%d', ts) .. ',' .. ARGV[11]
local receivers = redis.call('PUBLISH', ARGV[12], message)
return { version, receivers, ts }

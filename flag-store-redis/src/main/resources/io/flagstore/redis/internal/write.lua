-- flag-store write script: one atomic mutation of a namespace (docs/redis-layout.md, "The write script").
-- Checks every expected version first and fails with FLAGSTORE_CONFLICT before writing anything.
--
-- KEYS: 1 version, 2 meta, 3 flags zset, 4 segments zset, 5 deleted zset, 6 audit stream,
--       7 clients (presence), 8 dependents zset, 8+i the hash of item i
-- ARGV: 1 this write's id (a fresh UUID per call; also the epoch of a namespace it creates),
--       2 schema version, 3 op, 4 actor, 5 reason, 6 audit keys, 7 before (JSON array),
--       8 after (JSON array), 9 beforeSegments, 10 afterSegments ('' = none),
--       11 message body (everything after "ts":..,), 12 channel, 13 deletion log limit,
--       14 audit max length, 15 mode ('write' | 'seed' | 'force-seed'), 16 default heartbeat interval
--       (ms) of presence entries that do not state theirs, 17 key prefix, 18 item count, 19 publish
--       command ('PUBLISH', or 'SPUBLISH' in a cluster: the channel is a shard channel of the
--       namespace's slot), 20 clock tolerance (ms) for heartbeats in the future, 21 highest version
--       believed from presence, 22 the Redis user the admin is authenticated as ('' = unknown),
--       23 '1' to build the dependents index if it is not complete ('' = leave it), 24 the flag
--       fields whose hash value is JSON text (comma-separated), 25 seconds to remember the write's
--       reply under its id, then per item:
--       kind ('flag' | 'segment'), action ('put' | 'del' | 'switch'), key, expected version
--       (-1 must not exist, -2 any, else exact), field count n, n field/value pairs
-- A 'switch' (a write of one flag alone) gives only the fields it replaces: the script reads the
-- stored hash, and writes it with those fields replaced, when its checksum shows it is as a write
-- left it (else FLAGSTORE_SLOW <why>, nothing written: the caller reads, validates and writes the
-- usual way). For a switch ARGV 7 and 8 are '' (the script writes the audit's before and after)
-- and the message body has a NUL where the flag's tree goes.
-- Optional schedule claim (docs/scheduling.md): two more KEYS after the items (the schedule zset and
-- the schedule's hash) and two more ARGV at the end (schedule id, seconds to keep the settled hash).
-- The write happens only if it removes the id from the zset, else FLAGSTORE_CLAIMED <id>, so a
-- scheduled change is applied exactly once however many schedulers run it.
-- Modes (docs/operations.md, "Data loss and recovery"): a 'write' into a namespace without meta
-- while live instances hold data fails with FLAGSTORE_RESET <instances> <highest version>; a
-- 'write' while live instances of the namespace's epoch hold a version above the namespace's (the
-- version went backwards) fails with FLAGSTORE_REGRESSED <instances> <highest version> <version>; a
-- 'seed' needs an empty namespace (else FLAGSTORE_NOT_EMPTY <version> <flags> <origin>); a
-- 'force-seed' first removes the namespace's data. Seeds start a new epoch with meta.origin=seed
-- and a version above every version a live instance holds.
-- The dependents index (docs/redis-layout.md) holds '<prerequisite>|<dependent>' for every
-- prerequisite of every flag written here, plus the member '!complete' once it covers the whole
-- namespace: from an empty namespace or a seed on, or after a build over the stored flags.
-- Presence entries count only when plausible: live by their own heartbeat interval (three of them),
-- not closed, heartbeat not in the future, applied version an integer within the believed range.
-- Returns {version, receivers, ts (epoch ms)}. The reply is kept under the write's id for ARGV 25
-- seconds: a client that lost its connection before the reply may send the same call again (Lettuce
-- re-sends pending commands on reconnect, possibly to a promoted replica that holds the write), and
-- that call gets the first reply instead of writing twice or failing on the versions it changed.

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

-- whether a presence entry may hold a version above 'above'. Decoding costs about 2 µs an entry on
-- every write; an entry whose one "appliedVersion" key is spelled plainly is judged by that number
-- alone when it is not above (the common case: the fleet holds this version or an older one). Any
-- other spelling is decoded; an entry that hides a higher version this way (an escaped key beside a
-- plain one) is a forgery, which can only go unnoticed, never count.
local function may_hold_above(json, above)
  local _, last = string.find(json, '[{,]"appliedVersion":')
  if not last or string.find(json, '"appliedVersion":', last + 1, true) then
    return true
  end
  local version = tonumber(string.match(json, '^%-?%d+', last + 1))
  return version == nil or version > above
end

-- plausible live presence entries holding a version above 'above' (of epoch 'epoch' unless nil):
-- count and highest version
local function live_holders(above, epoch)
  local now = redis.call('TIME')
  local now_ms = tonumber(now[1]) * 1000
  local max_version = tonumber(ARGV[21])
  local count, highest = 0, 0
  if redis.call('TYPE', KEYS[7]).ok ~= 'hash' then
    return count, highest -- no presence (or a key of another type: not believed, never blocks a write)
  end
  local entries = redis.call('HVALS', KEYS[7])
  for _, json in ipairs(entries) do
    local ok, entry = false, nil
    if may_hold_above(json, above) then
      ok, entry = pcall(cjson.decode, json)
    end
    if ok and type(entry) == 'table' then
      local heartbeat, version = tonumber(entry.heartbeat), tonumber(entry.appliedVersion)
      local interval = tonumber(entry.heartbeatMs) or tonumber(ARGV[16])
      if heartbeat and version and interval and interval > 0 and entry.closedAt == nil
          and heartbeat >= now_ms - 3 * interval and heartbeat <= now_ms + tonumber(ARGV[20])
          and version == math.floor(version) and version > above and version <= max_version
          and (epoch == nil or entry.epoch == epoch) then
        count = count + 1
        highest = math.max(highest, version)
      end
    end
  end
  return count, highest
end

local COMPLETE = '!complete'

-- the flag keys a stored or written 'prerequisites' value names (none when it does not decode:
-- such a flag is unreadable and no check counts it)
local function prerequisite_keys(json)
  local out = {}
  if type(json) ~= 'string' then
    return out -- no field, or a key that is not a hash (pcall's error reply)
  end
  local ok, list = pcall(cjson.decode, json)
  if ok and type(list) == 'table' then
    for _, p in ipairs(list) do
      if type(p) == 'table' and type(p.flagKey) == 'string' then
        out[#out + 1] = p.flagKey
      end
    end
  end
  return out
end

local function add_dependent(dependent, json)
  for _, key in ipairs(prerequisite_keys(json)) do
    redis.call('ZADD', KEYS[8], 0, key .. '|' .. dependent)
  end
end

local function remove_dependent(dependent, json)
  for _, key in ipairs(prerequisite_keys(json)) do
    redis.call('ZREM', KEYS[8], key .. '|' .. dependent)
  end
end

local JSON_FIELDS = {}
for name in string.gmatch(ARGV[24], '[^,]+') do
  JSON_FIELDS[name] = true
end
local UNCHECKED = { checksum = true, version = true, updatedAt = true }

-- byte order, as Java sorts the names (Lua's '<' follows the server's locale)
local function byte_less(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then
      return x < y
    end
  end
  return #a < #b
end

-- the names of 'fields' but those in 'leave_out', in byte order
local function sorted_names(fields, leave_out)
  local names = {}
  for name in pairs(fields) do
    if not leave_out[name] then
      names[#names + 1] = name
    end
  end
  table.sort(names, byte_less)
  return names
end

-- the checksum a write stores (HashChecksum): SHA-1 over 'name NUL value NUL', names in order
local function checksum(fields)
  local parts = {}
  for _, name in ipairs(sorted_names(fields, UNCHECKED)) do
    parts[#parts + 1] = name .. '\0' .. fields[name] .. '\0'
  end
  return redis.sha1hex(table.concat(parts))
end

-- a flag's tree (FlagJson) from its hash fields, leaving out the given names
local function tree_json(fields, leave_out)
  local parts = {}
  for _, name in ipairs(sorted_names(fields, leave_out)) do
    local value = fields[name]
    parts[#parts + 1] = cjson.encode(name) .. ':' .. (JSON_FIELDS[name] and value or cjson.encode(value))
  end
  return '{' .. table.concat(parts, ',') .. '}'
end

-- a switch's fields: the stored hash with the given fields replaced and a new checksum; or nil and
-- why the caller must take the usual way
local function switched(item, indexed)
  if not indexed then
    return nil, 'not indexed'
  end
  local stored = redis.pcall('HGETALL', item.hash)
  if stored.err or #stored == 0 then
    return nil, 'unreadable'
  end
  local before = {}
  for i = 1, #stored, 2 do
    before[stored[i]] = stored[i + 1]
  end
  if before.checksum ~= checksum(before) or tonumber(before.version) ~= indexed then
    return nil, 'changed without a write'
  end
  -- a checksum anyone may compute does not prove the hash readable: its key and JSON fields must be
  if before.key ~= item.key then
    return nil, 'unreadable'
  end
  for name, value in pairs(before) do
    if JSON_FIELDS[name] and not pcall(cjson.decode, value) then
      return nil, 'unreadable'
    end
  end
  local after = {}
  for name, value in pairs(before) do
    if not UNCHECKED[name] then
      after[name] = value
    end
  end
  for j = item.first, item.last, 2 do
    after[ARGV[j]] = ARGV[j + 1]
  end
  after.checksum = checksum(after)
  item.before = before
  item.after = after
  return true
end

local written_key = ARGV[17] .. 'written:' .. ARGV[1]
local earlier = redis.call('GET', written_key)
if earlier then
  local reply = {}
  for n in string.gmatch(earlier, '%d+') do reply[#reply + 1] = tonumber(n) end
  return reply
end

local claim = #KEYS == 10 + tonumber(ARGV[18]) and ARGV[#ARGV - 1] or nil
if claim and not redis.call('ZSCORE', KEYS[#KEYS - 1], claim) then
  return redis.error_reply('FLAGSTORE_CLAIMED ' .. claim)
end

local mode = ARGV[15]
local meta_exists = redis.call('EXISTS', KEYS[2]) == 1
if mode == 'write' and not meta_exists then
  local count, highest = live_holders(0, nil)
  if count > 0 then
    return redis.error_reply(string.format('FLAGSTORE_RESET %d %d', count, highest))
  end
end
if mode == 'write' and meta_exists then
  local current = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
  local count, highest = live_holders(current, redis.call('HGET', KEYS[2], 'epoch'))
  if count > 0 then
    return redis.error_reply(string.format('FLAGSTORE_REGRESSED %d %d %d', count, highest, current))
  end
end
if mode == 'seed' then
  local flags = redis.call('ZCARD', KEYS[3]) + redis.call('ZCARD', KEYS[4])
  local current = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
  if meta_exists or current > 0 or flags > 0 then
    return redis.error_reply(string.format('FLAGSTORE_NOT_EMPTY %d %d %s', current, flags,
      redis.call('HGET', KEYS[2], 'origin') or 'unknown'))
  end
end

local index = { flag = KEYS[3], segment = KEYS[4] }
local items = {}
local pos = 26
for i = 1, tonumber(ARGV[18]) do
  local item = { kind = ARGV[pos], action = ARGV[pos + 1], key = ARGV[pos + 2],
                 expected = tonumber(ARGV[pos + 3]), hash = KEYS[8 + i], first = pos + 5 }
  item.last = pos + 4 + 2 * tonumber(ARGV[pos + 4])
  pos = item.last + 1
  local score = redis.call('ZSCORE', index[item.kind], item.key)
  local actual = score and tonumber(score) or 0
  local exists = score ~= false or redis.call('EXISTS', item.hash) == 1
  if (item.expected == -1 and exists) or (item.expected >= 0 and actual ~= item.expected) then
    return redis.error_reply(string.format('FLAGSTORE_CONFLICT %s %s %d %d',
      item.kind, item.key, item.expected, actual))
  end
  if item.action == 'switch' then
    local ok, why = switched(item, score and actual or nil)
    if not ok then
      return redis.error_reply('FLAGSTORE_SLOW ' .. why)
    end
  end
  items[i] = item
end

if mode ~= 'write' then
  -- a seed replaces the namespace: a new epoch whose versions continue above what services hold
  local _, highest = live_holders(0, nil)
  local floor = math.max(highest, tonumber(redis.call('GET', KEYS[1]) or '0') or 0)
  for kind, zset in pairs(index) do
    for _, key in ipairs(redis.call('ZRANGE', zset, 0, -1)) do
      redis.call('DEL', ARGV[17] .. kind .. ':' .. key)
    end
  end
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[8])
  redis.call('SET', KEYS[1], string.format('%d', floor))
end

-- the index is complete from here if the namespace holds no flag yet (a seed just emptied it), or
-- after a build over what it holds; a namespace written before the index existed has no build yet
if not redis.call('ZSCORE', KEYS[8], COMPLETE) then
  if redis.call('ZCARD', KEYS[3]) == 0 then
    redis.call('DEL', KEYS[8])
    redis.call('ZADD', KEYS[8], 0, COMPLETE)
  elseif ARGV[23] == '1' then
    redis.call('DEL', KEYS[8])
    for _, key in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
      add_dependent(key, redis.pcall('HGET', ARGV[17] .. 'flag:' .. key, 'prerequisites'))
    end
    redis.call('ZADD', KEYS[8], 0, COMPLETE)
  end
end

local version = redis.call('INCR', KEYS[1])
local now = redis.call('TIME')
local ts = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local updated_at = iso_time(ts)
if redis.call('HSETNX', KEYS[2], 'epoch', ARGV[1]) == 1 then
  redis.call('HSET', KEYS[2], 'origin', mode == 'write' and 'write' or 'seed')
end
redis.call('HSETNX', KEYS[2], 'schemaVersion', ARGV[2])
redis.call('HSETNX', KEYS[2], 'createdAt', updated_at)
local epoch = redis.call('HGET', KEYS[2], 'epoch')

local deleted_any = false
for _, item in ipairs(items) do
  local member = item.kind == 'flag' and item.key or ('segment:' .. item.key)
  if item.kind == 'flag' then
    remove_dependent(item.key, redis.pcall('HGET', item.hash, 'prerequisites'))
  end
  redis.call('DEL', item.hash)
  if item.action ~= 'del' then
    local args = { item.hash }
    if item.after then
      for name, value in pairs(item.after) do
        args[#args + 1] = name
        args[#args + 1] = value
      end
    else
      for j = item.first, item.last do
        args[#args + 1] = ARGV[j]
      end
    end
    args[#args + 1] = 'version'
    args[#args + 1] = version
    args[#args + 1] = 'updatedAt'
    args[#args + 1] = updated_at
    redis.call('HSET', unpack(args))
    if item.kind == 'flag' then
      add_dependent(item.key, redis.call('HGET', item.hash, 'prerequisites'))
    end
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

-- a switch's audit and message carry the flag as the script read and wrote it
local before_json, after_json, body = ARGV[7], ARGV[8], ARGV[11]
local switch = items[1] and items[1].after and items[1]
if switch then
  local written = tree_json(switch.after, UNCHECKED)
  before_json = '[' .. tree_json(switch.before, { checksum = true }) .. ']'
  after_json = '[' .. written .. ']'
  local cut = string.find(body, '\0', 1, true)
  body = string.sub(body, 1, cut - 1) .. written .. string.sub(body, cut + 1)
end

local audit = { KEYS[6], 'MAXLEN', '~', ARGV[14], '*',
  'version', version, 'op', ARGV[3], 'keys', ARGV[6], 'actor', ARGV[4], 'reason', ARGV[5],
  'ts', string.format('%d', ts), 'before', before_json, 'after', after_json }
if ARGV[22] ~= '' then
  audit[#audit + 1] = 'redisUser'
  audit[#audit + 1] = ARGV[22]
end
if ARGV[9] ~= '' then
  audit[#audit + 1] = 'beforeSegments'
  audit[#audit + 1] = ARGV[9]
  audit[#audit + 1] = 'afterSegments'
  audit[#audit + 1] = ARGV[10]
end
redis.call('XADD', unpack(audit))

if claim then
  redis.call('ZREM', KEYS[#KEYS - 1], claim)
  redis.call('HSET', KEYS[#KEYS], 'state', 'applied', 'appliedVersion', version,
    'settledAt', string.format('%d', ts), 'settledBy', ARGV[4])
  redis.call('EXPIRE', KEYS[#KEYS], tonumber(ARGV[#ARGV]))
end

local message = '{"v":' .. string.format('%d', version) .. ',"epoch":' .. cjson.encode(epoch)
  .. ',"ts":' .. string.format('%d', ts) .. ',' .. body
local receivers = redis.call(ARGV[19] == 'SPUBLISH' and 'SPUBLISH' or 'PUBLISH', ARGV[12], message)
redis.call('SET', written_key, string.format('%d %d %d', version, receivers, ts), 'EX', tonumber(ARGV[25]))
return { version, receivers, ts }

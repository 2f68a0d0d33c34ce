-- flag-store RedisFlagSource: one step of a full load or catch-up, read-only and atomic.
-- KEYS: 1 version, 2 meta, 3 flags zset, 4 segments zset, 5 deleted zset
-- ARGV: 1 key prefix ("flagstore:{ns}:"), 2 since (namespace version held; -1 = full load),
--       3 page size (at most this many hashes in the reply)
-- Returns {version, epoch, deletedTrimmedTo, full (0/1), flags, segments, deleted, origin, unreadFlags,
-- unreadSegments} where flags/segments = {key, {field, value, ...}, ...} (an empty list for a hash that
-- is missing) for the first page-size keys written since `since` (every key when full), unreadFlags/
-- unreadSegments = the rest of those keys, whose hashes the caller reads with source-page.lua and then
-- catches up from `version`; deleted = {member, version, ...} (members still live again are left out);
-- origin = how the epoch was created ('seed', 'write', or '' when unrecorded). A key that is not a hash
-- (a hand-made key of another type) is returned as the error text instead of its fields: one unreadable
-- flag, never a failed read.
local version = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local meta = redis.call('HMGET', KEYS[2], 'epoch', 'deletedTrimmedTo', 'origin')
local epoch = meta[1] or ''
local trimmedTo = tonumber(meta[2] or '0') or 0
local since = tonumber(ARGV[2])
local budget = tonumber(ARGV[3])
-- deletes at versions <= trimmedTo are gone from the log: a client behind that must reload
local full = since < 0 or since < trimmedTo
local min = full and '-inf' or ('(' .. since)

local function changed(index, kind)
  local out, unread = {}, {}
  for _, key in ipairs(redis.call('ZRANGEBYSCORE', index, min, '+inf')) do
    if budget > 0 then
      budget = budget - 1
      out[#out + 1] = key
      local hash = redis.pcall('HGETALL', ARGV[1] .. kind .. key)
      out[#out + 1] = hash.err or hash
    else
      unread[#unread + 1] = key
    end
  end
  return out, unread
end

local flags, unreadFlags = changed(KEYS[3], 'flag:')
local segments, unreadSegments = changed(KEYS[4], 'segment:')
local deleted = {}
if not full then
  local log = redis.call('ZRANGEBYSCORE', KEYS[5], min, '+inf', 'WITHSCORES')
  for i = 1, #log, 2 do
    local member = log[i]
    local live
    if string.sub(member, 1, 8) == 'segment:' then
      live = redis.call('ZSCORE', KEYS[4], string.sub(member, 9))
    else
      live = redis.call('ZSCORE', KEYS[3], member)
    end
    if not live then
      deleted[#deleted + 1] = member
      deleted[#deleted + 1] = log[i + 1]
    end
  end
end
return {version, epoch, trimmedTo, full and 1 or 0, flags, segments, deleted, meta[3] or '', unreadFlags,
  unreadSegments}

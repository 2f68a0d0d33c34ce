-- Removes dead presence entries, each only if unchanged since it was read (a source may have
-- heartbeated meanwhile). KEYS[1] clients hash; ARGV: field, value read, field, value read, ...
-- Returns the number removed.
local removed = 0
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    removed = removed + redis.call('HDEL', KEYS[1], ARGV[i])
  end
end
return removed

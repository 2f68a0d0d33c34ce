-- flag-store RedisFlagSource: one page of a load, read-only: the hashes named by KEYS (flag and segment
-- hashes of one namespace), in order; an empty list for a hash that is missing (deleted since it was
-- listed: the catch-up that ends the load reports it); the error text for a key that is not a hash.
local out = {}
for i, key in ipairs(KEYS) do
  local hash = redis.pcall('HGETALL', key)
  out[i] = hash.err or hash
end
return out

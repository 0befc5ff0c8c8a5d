-- The admin API's account search: GET /admin/api/accounts?q=PREFIX with BEARER (an admin token), each request a new
-- random prefix of the ACCOUNTS seeded addresses (`person` and the first five of six digits: ten accounts each; see
-- benchmarks/accounts.py).
math.randomseed(tonumber(tostring({}):match("0x(%x+)"), 16))  -- each thread its own sequence
local bearer = "Bearer " .. os.getenv("BEARER")
local prefixes = math.floor(tonumber(os.getenv("ACCOUNTS")) / 10)

function request()
  local path = string.format("/admin/api/accounts?q=person%05d", math.random(0, prefixes - 1))
  return wrk.format("GET", path, { ["Authorization"] = bearer })
end


-- The admin API's account search: GET /admin/api/accounts?q=PREFIX with BEARER (an admin token), each request a new
-- random prefix of the seeded addresses (`person` and five digits: ten accounts each; see benchmarks/accounts.py).
math.randomseed(tonumber(tostring({}):match("0x(%x+)"), 16))  -- each thread its own sequence
local bearer = "Bearer " .. os.getenv("BEARER")

function request()
  local path = string.format("/admin/api/accounts?q=person%05d", math.random(0, 9999))
  return wrk.format("GET", path, { ["Authorization"] = bearer })
end


-- A GET that expects 200: discovery, JWKS, or userinfo with BEARER set, or with DPOP set (a DPoP-bound access token)
-- and PROOFS (see dpop.lua). With DELAY_MS set, each connection waits that long on average between requests (for a
-- run at a fixed fraction of the peak rate).
if os.getenv("BEARER") then wrk.headers["Authorization"] = "Bearer " .. os.getenv("BEARER") end
if os.getenv("DELAY_MS") then
  -- Uniform around the mean, so the connections do not fall into step and arrive in bursts.
  local mean = tonumber(os.getenv("DELAY_MS"))
  math.randomseed(tonumber(tostring({}):match("0x(%x+)"), 16))  -- each thread its own sequence
  function delay() return math.random() * 2 * mean end
end

if os.getenv("DPOP") then
  dofile("benchmarks/dpop.lua")
  local counter = 0

  function setup(thread)
    thread:set("index", counter)
    counter = counter + 1
  end

  function init(args)
    dpop.load(index)
    checking = index == 0
  end

  function request()
    local headers = dpop.add({ ["Authorization"] = "DPoP " .. os.getenv("DPOP") }, checking)
    checking = false
    return wrk.format(nil, nil, headers)
  end
end

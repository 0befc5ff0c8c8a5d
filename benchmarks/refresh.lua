-- Rotating refresh-token families of one client, as real clients rotate them: every answer's new refresh token is its
-- family's next request. Tokens come from the file named by TOKENS, one family per line. Each wrk thread keeps a pool
-- of its families' current tokens: a request takes one out and the answer puts the new one back, so no family ever
-- has two requests in flight, whichever connection carries it. With THREADS set to wrk's -t, thread k takes lines k,
-- k + THREADS, ...; unset, one line per thread. Give each thread at least as many families as connections.
-- With DELAY_MS set, each connection waits that long on average between requests. With PROOFS set (see dpop.lua),
-- each request carries a DPoP proof: the families were minted with proofs by the same key, so they are bound to it.
dofile("benchmarks/dpop.lua")
local counter = 0

if os.getenv("DELAY_MS") then
  -- Uniform around the mean, so the connections do not fall into step and arrive in bursts.
  local mean = tonumber(os.getenv("DELAY_MS"))
  math.randomseed(tonumber(tostring({}):match("0x(%x+)"), 16))  -- each thread its own sequence
  function delay() return math.random() * 2 * mean end
end

function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
end

function init(args)
  local threads = tonumber(os.getenv("THREADS") or "") or 0
  pool = {}
  local line_number = 0
  for line in io.lines(os.getenv("TOKENS")) do
    if threads == 0 and line_number == index or threads > 0 and line_number % threads == index then
      local client_id, token = line:match("([^ ]+) ([^ ]+)")
      client = client_id
      pool[#pool + 1] = token
    end
    line_number = line_number + 1
  end
  dpop.load(index)
  -- wrk checks the script by calling the first thread's request() once before it connects; that call sends nothing.
  checking = index == 0
end

function request()
  -- A family lost to a failed answer leaves the pool short; the request then carries no token and fails visibly.
  local token = checking and pool[#pool] or table.remove(pool) or ""
  local headers = dpop.add({ ["Content-Type"] = "application/x-www-form-urlencoded" }, checking)
  checking = false
  return wrk.format("POST", "/token", headers, "grant_type=refresh_token&client_id=" .. client .. "&refresh_token=" .. token)
end

function response(status, headers, body)
  local next_token = status == 200 and body:match('"refresh_token":"([^"]+)"')
  if next_token then pool[#pool + 1] = next_token end
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx or malformed: %d\n", summary.errors.status))
end

-- One refresh-token family per wrk thread (one connection each): every response's new refresh token
-- is the next request's, as a real client rotates. Tokens come from the file named by TOKENS.
-- With DELAY_MS set, each family waits that long on average between requests.
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
  local lines = {}
  for line in io.lines(os.getenv("TOKENS")) do lines[#lines + 1] = line end
  local client_id, token = lines[index + 1]:match("([^ ]+) ([^ ]+)")
  current = token
  client = client_id
  failures = 0
end

function request()
  return wrk.format("POST", "/token", { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "grant_type=refresh_token&client_id=" .. client .. "&refresh_token=" .. current)
end

function response(status, headers, body)
  local next_token = body:match('"refresh_token":"([^"]+)"')
  if status == 200 and next_token then current = next_token else failures = failures + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx or malformed: %d\n", summary.errors.status))
end

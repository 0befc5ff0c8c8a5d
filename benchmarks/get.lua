-- A GET that expects 200: discovery, JWKS, or userinfo with BEARER set. With DELAY_MS set, each connection waits
-- that long between requests (for a run at a fixed fraction of the peak rate).
if os.getenv("BEARER") then wrk.headers["Authorization"] = "Bearer " .. os.getenv("BEARER") end
if os.getenv("DELAY_MS") then
  function delay() return tonumber(os.getenv("DELAY_MS")) end
end

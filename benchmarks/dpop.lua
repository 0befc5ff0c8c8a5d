-- DPoP proofs (RFC 9449) for a wrk script, made beforehand by benchmarks/dpop_proofs.py since Lua cannot sign ES256:
-- with PROOFS naming their file, each request of a thread carries the next proof of the thread's share of the lines
-- (with THREADS set to wrk's -t, thread k takes lines k, k + THREADS, ...; unset, all of them). A proof is used once;
-- a thread that runs out sends requests without one, which fail visibly.
dpop = { proofs = {}, next = 1 }

function dpop.load(index)
  if not os.getenv("PROOFS") then return end
  local threads = tonumber(os.getenv("THREADS") or "") or 1
  local line_number = 0
  for line in io.lines(os.getenv("PROOFS")) do
    if line_number % threads == index then dpop.proofs[#dpop.proofs + 1] = line end
    line_number = line_number + 1
  end
end

-- `headers` with the next proof; `peek` leaves it for the next request (wrk's check of the script sends nothing).
function dpop.add(headers, peek)
  local proof = dpop.proofs[dpop.next]
  if proof then
    headers["DPoP"] = proof
    if not peek then dpop.next = dpop.next + 1 end
  end
  return headers
end

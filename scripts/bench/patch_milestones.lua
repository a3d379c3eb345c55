-- patch_milestones.lua: the mixed write load of `make bench` (scripts/bench.sh).
--
-- Each request is PATCH /api/v1/milestones/{id} with If-Match: * and a JSON body that
-- changes the title, on a milestone drawn at random among ids FIRST..LAST, so the writes
-- spread over many milestones of many relocations (each write locks its relocation).
--
--   wrk ... -H "Authorization: Bearer TOKEN" -s patch_milestones.lua http://HOST -- FIRST LAST
--
-- The Authorization header comes from wrk's -H; wrk.format merges it into each request.

local threads = 0

-- setup numbers the threads so that each draws its own sequence of milestones.
function setup(thread)
   threads = threads + 1
   thread:set("thread_number", threads)
end

local first, last, sent

function init(args)
   first = tonumber(args[1]) or 1
   last = tonumber(args[2]) or first
   sent = 0
   math.randomseed(os.time() * 100 + (thread_number or 0))
   wrk.method = "PATCH"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["If-Match"] = "*"
end

function request()
   sent = sent + 1
   local id = math.random(first, last)
   local body = string.format('{"title":"Jalon %d, titre modifié (banc d’essai, fil %d, n° %d)"}',
      id, thread_number or 0, sent)
   return wrk.format(nil, "/api/v1/milestones/" .. id, nil, body)
end

-- patch_write.lua: the reference of the mixed write load of `make bench`: PATCH /write/{id}
-- of bin/benchref (../shared/ceiling's journaled write) on a row drawn at random among
-- 1..10000, so that writes spread over many rows as the tracker's spread over relocations.

local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("thread_number", threads)
end

local sent

function init(args)
   sent = 0
   math.randomseed(os.time() * 100 + (thread_number or 0))
   wrk.method = "PATCH"
   wrk.headers["Content-Type"] = "application/json"
end

function request()
   sent = sent + 1
   local id = math.random(1, 10000)
   local body = string.format('{"title":"Ligne %d, titre modifié (fil %d, n° %d)"}', id, thread_number or 0, sent)
   return wrk.format(nil, "/write/" .. id, nil, body)
end

-- wrk: each thread sends its share of the pre-signed requests in REQUESTS_FILE once
-- (thread k of t takes lines k, k+t, ...), then starts again from its first line (those
-- repeats are replays the server refuses; the script reports them as non-2xx).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file = os.getenv("REQUESTS_FILE")
  local total = tonumber(os.getenv("WRK_THREADS"))
  paths = {}
  local i = 0
  for line in io.lines(file) do
    if i % total == id then
      paths[#paths + 1] = line
    end
    i = i + 1
  end
  next_path = 1
end

function request()
  local path = paths[next_path]
  next_path = next_path + 1
  if next_path > #paths then
    next_path = 1
  end
  return wrk.format("GET", path)
end

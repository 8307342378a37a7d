-- wrk script: POST /v1/backup-runs with a distinct run_id per request (thread id + counter).
-- args: job name, API token
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  job = args[1]
  token = args[2]
  counter = 0
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"run_id":"%s-%d-%d","job_name":"%s","agent_id":"bench-agent-%d","start_time":"2026-05-12T02:00:00Z",' ..
    '"end_time":"2026-05-12T02:04:33Z","status":"success","bytes_backed_up":1073741824,"encrypted":true,' ..
    '"encryption_status":"encrypted","error":null,"metadata":{"compression":"zstd","bench":true}}',
    job, tid, counter, job, tid)
  return wrk.format("POST", "/v1/backup-runs", headers, body)
end

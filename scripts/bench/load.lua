-- wrk script for scripts/bench/load: POST /v1/query with questions of the kinds scripts/bench/query asks,
-- about one backtest (ids from $BACKTEST_IDS, comma-separated) or, when SCOPE=all, about every backtest.
-- Counts answers other than 200 and prints them at the end (wrk's own "Non-2xx" line counts them too).
local questions = {
  "How did Friday trades do?",
  "Which trades opened in hour 14 lost money?",
  "What happened in trade 586?",
  "Why did the short trades in March lose?",
  "largest loss and the losing streak",
  "Which optimisation pass had the best net profit?",
  "trades closed by stop loss on Monday in the London session",
  "show me winning long trades held more than 3 hours",
}
local ids = {}
for id in string.gmatch(os.getenv("BACKTEST_IDS") or "", "[^,]+") do ids[#ids + 1] = id end
local scope_all = os.getenv("SCOPE") == "all" or #ids == 0

local bodies = {}
for i, question in ipairs(questions) do
  if scope_all then
    bodies[#bodies + 1] = string.format('{"question": "%s"}', question)
  else
    for j, id in ipairs(ids) do
      bodies[#bodies + 1] = string.format('{"question": "%s", "backtestIds": ["%s"]}', question, id)
    end
  end
end

local counter = 0
local failures = {}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
  counter = counter + 1
  return wrk.format(nil, nil, nil, bodies[(counter % #bodies) + 1])
end

function response(status, headers, body)
  if status ~= 200 then failures[status] = (failures[status] or 0) + 1 end
end

function done(summary, latency, requests)
  local p = {}
  for _, q in ipairs({50, 90, 99, 99.9}) do p[#p + 1] = string.format("p%s=%.2fms", q, latency:percentile(q) / 1000) end
  io.write(string.format("LOAD requests=%d duration_s=%.2f rps=%.1f %s max=%.2fms socket_errors=%d non2xx=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), table.concat(p, " "),
    latency.max / 1000, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end

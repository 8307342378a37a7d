-- wrk script: every request is a heartbeat of the next simulated agent (keys rotate), reporting the config hash
-- it last pulled and the same discovered database, as a steady agent fleet does.
-- agents.lua (written by ./run) sets `agents = { {key = "bak_...", hash = "..."}, ... }`.
dofile(os.getenv("AGENTS_LUA"))

local counter = 0
local bodies = {}

function init(args)
  counter = math.random(#agents) - 1
  for i, agent in ipairs(agents) do
    bodies[i] = '{"status":"online","agentVersion":"1.0.0","configHash":"' .. agent.hash .. '",'
      .. '"discoveredDatabases":[{"dbType":"mysql","dbVersion":"8.0.31","host":"127.0.0.1","port":"3308","databaseName":"shop"}]}'
  end
end

function request()
  counter = counter + 1
  local i = (counter % #agents) + 1
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. agents[i].key,
  }, bodies[i])
end

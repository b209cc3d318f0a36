-- Health of an OT-Container-Kit RedisReplication, from status the operator writes
-- (api/v1beta2 RedisReplicationStatus: state, reason, masterNode):
--   Degraded     state Failed (reason says why)
--   Progressing  no status yet, state Creating or Configuring, or no primary elected yet
--   Healthy      state Ready, or (operators before state existed) a primary in status.masterNode
local hs = { status = "Progressing", message = "Waiting for the operator" }
if obj.status == nil then
  return hs
end
local state = obj.status.state
if state == "Failed" then
  hs.status = "Degraded"
  hs.message = obj.status.reason or "Replication failed"
  return hs
end
if state == "Creating" or state == "Configuring" then
  hs.message = state
  return hs
end
if state == "Ready" or (state == nil and obj.status.masterNode ~= nil and obj.status.masterNode ~= "") then
  hs.status = "Healthy"
  hs.message = "Primary " .. (obj.status.masterNode or "")
  return hs
end
return hs

-- Health of a MongoDBCommunity, from status.phase and status.message the operator writes
-- (api/v1/mongodbcommunity_types.go: Running, Pending, Failed):
--   Healthy      Running
--   Degraded     Failed
--   Progressing  Pending, or no status yet
local hs = { status = "Progressing", message = "Waiting for the operator" }
if obj.status == nil or obj.status.phase == nil then
  return hs
end
local msg = obj.status.message or ""
if obj.status.phase == "Running" then
  hs.status = "Healthy"
  hs.message = "Replica set of " .. tostring(obj.status.currentMongoDBMembers or 0) .. " members"
elseif obj.status.phase == "Failed" then
  hs.status = "Degraded"
  hs.message = msg
else
  hs.message = msg
end
return hs

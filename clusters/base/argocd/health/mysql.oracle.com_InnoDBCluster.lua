-- Health of a MySQL Operator InnoDBCluster, from status.cluster.status the operator writes
-- (mysqloperator/controller/innodbcluster/cluster_api.py, ClusterDiagStatus):
--   Healthy      ONLINE (every member in the group)
--   Progressing  no status yet, PENDING, INITIALIZING, ONLINE_PARTIAL (members still joining),
--                FINALIZING
--   Degraded     ONLINE_UNCERTAIN, OFFLINE, OFFLINE_UNCERTAIN, NO_QUORUM, NO_QUORUM_UNCERTAIN,
--                SPLIT_BRAIN, SPLIT_BRAIN_UNCERTAIN, INVALID, UNKNOWN
local states = {
  ONLINE = "Healthy",
  PENDING = "Progressing",
  INITIALIZING = "Progressing",
  ONLINE_PARTIAL = "Progressing",
  FINALIZING = "Progressing",
}
local hs = { status = "Progressing", message = "Waiting for the operator" }
if obj.status == nil or obj.status.cluster == nil or obj.status.cluster.status == nil then
  return hs
end
local s = obj.status.cluster.status
hs.status = states[s] or "Degraded"
hs.message = s
if obj.status.cluster.onlineInstances ~= nil then
  hs.message = s .. " (" .. tostring(obj.status.cluster.onlineInstances) .. " online)"
end
return hs

-- Health of a CloudNativePG Cluster, ported from Argo CD's built-in check
-- (resource_customizations/postgresql.cnpg.io/Cluster/health.lua). The operator writes a
-- human-readable status.phase and status.phaseReason:
--   Suspended    hibernated (condition cnpg.io/hibernation True), or a phase that needs a person
--                (unknown plugin, invalid image catalog, unrecoverable, objects not creatable)
--   Degraded     hibernation failed, or failover, switchover, restarts and upgrades in progress
--   Progressing  no status yet, or a phase of creation (primary, replicas, instances starting)
--   Healthy      phase "Cluster in healthy state"
--   Unknown      any other phase
local phases = {
  ["Cluster in healthy state"] = "Healthy",
  ["Setting up primary"] = "Progressing",
  ["Creating a new replica"] = "Progressing",
  ["Upgrading cluster"] = "Progressing",
  ["Waiting for the instances to become active"] = "Progressing",
  ["Promoting to primary cluster"] = "Progressing",
  ["Switchover in progress"] = "Degraded",
  ["Failing over"] = "Degraded",
  ["Upgrading Postgres major version"] = "Degraded",
  ["Cluster upgrade delayed"] = "Degraded",
  ["Waiting for user action"] = "Degraded",
  ["Primary instance is being restarted in-place"] = "Degraded",
  ["Primary instance is being restarted without a switchover"] = "Degraded",
  ["Online upgrade in progress"] = "Degraded",
  ["Applying configuration"] = "Degraded",
  ["Unable to create required cluster objects"] = "Suspended",
  ["Cluster cannot proceed to reconciliation due to an unknown plugin being required"] = "Suspended",
  ["Cluster has incomplete or invalid image catalog"] = "Suspended",
  ["Cluster is unrecoverable and needs manual intervention"] = "Suspended",
}
local hs = { status = "Progressing", message = "Waiting for the operator" }
if obj.status == nil then
  return hs
end
local reason = obj.status.phaseReason or ""
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "cnpg.io/hibernation" then
      if c.status == "True" then
        hs.status = "Suspended"
      else
        hs.status = "Degraded"
      end
      hs.message = c.message or ""
      return hs
    end
  end
end
if obj.status.phase == nil then
  hs.message = reason
  return hs
end
hs.status = phases[obj.status.phase] or "Unknown"
hs.message = obj.status.phase
if reason ~= "" then
  hs.message = obj.status.phase .. ": " .. reason
end
return hs

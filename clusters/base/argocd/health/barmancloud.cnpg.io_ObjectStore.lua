-- Health of a Barman Cloud plugin ObjectStore. The plugin writes status.serverRecoveryWindow per
-- Postgres server once backups exist; a spec-only store is valid configuration.
--   Healthy  always once it exists (it is configuration; failed archiving shows on the Cluster's
--            ContinuousArchiving condition), with the recovery window start when reported
local hs = { status = "Healthy", message = "" }
if obj.status ~= nil and obj.status.serverRecoveryWindow ~= nil then
  for server, w in pairs(obj.status.serverRecoveryWindow) do
    if w.firstRecoverabilityPoint ~= nil then
      hs.message = server .. " recoverable from " .. w.firstRecoverabilityPoint
    end
  end
end
return hs

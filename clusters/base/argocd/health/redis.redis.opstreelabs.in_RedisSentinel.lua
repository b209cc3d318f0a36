-- Health of an OT-Container-Kit RedisSentinel. The operator keeps no status of its own for
-- Sentinel (its StatefulSet carries readiness, which Argo CD checks as a child resource):
--   Degraded  a condition of type Ready with status False, should a later operator write one
--   Healthy   otherwise
local hs = { status = "Healthy", message = "" }
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" and c.status == "False" then
      hs.status = "Degraded"
      hs.message = c.message or ""
    end
  end
end
return hs

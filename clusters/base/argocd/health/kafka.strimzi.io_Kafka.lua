-- Health of a Strimzi Kafka, ported from Argo CD's built-in check
-- (resource_customizations/kafka.strimzi.io/Kafka/health.lua). Strimzi writes conditions:
--   Degraded     NotReady True with a reason other than Creating (reconciliation failed)
--   Healthy      Ready True
--   Progressing  otherwise (no status yet, creating, rolling)
-- Warning conditions (deprecated fields, ...) keep the resource Healthy and are reported.
local hs = { status = "Progressing", message = "Waiting for Kafka cluster" }
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
local warnings = {}
for _, c in ipairs(obj.status.conditions) do
  if c.type == "NotReady" and c.status == "True" and c.reason ~= "Creating" then
    hs.status = "Degraded"
    hs.message = c.message or c.reason or ""
    return hs
  end
  if c.type == "Warning" and c.status == "True" then
    table.insert(warnings, c.message or c.reason or "")
  end
end
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Ready" and c.status == "True" then
    hs.status = "Healthy"
    hs.message = table.concat(warnings, "; ")
    return hs
  end
end
return hs

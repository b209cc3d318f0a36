-- Health of Strimzi KafkaNodePool, KafkaTopic and KafkaUser (the built-in checks for topic and
-- user, resource_customizations/kafka.strimzi.io/*). Strimzi writes conditions on topics and users;
-- node pools only report status.nodeIds and replicas (their health shows on the Kafka resource).
--   Degraded     Ready False (the operator rejected the resource; message says why)
--   Healthy      Ready True, or a node pool whose status lists as many nodes as spec.replicas
--   Progressing  no status yet, or a node pool still scaling
local hs = { status = "Progressing", message = "Waiting for the Strimzi operator" }
if obj.status == nil then
  return hs
end
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" then
      if c.status == "True" then
        hs.status = "Healthy"
        hs.message = ""
      else
        hs.status = "Degraded"
        hs.message = c.message or c.reason or ""
      end
      return hs
    end
  end
end
if obj.kind == "KafkaNodePool" and obj.status.nodeIds ~= nil then
  local want = 0
  if obj.spec ~= nil and obj.spec.replicas ~= nil then
    want = obj.spec.replicas
  end
  if #obj.status.nodeIds >= want then
    hs.status = "Healthy"
    hs.message = tostring(#obj.status.nodeIds) .. " nodes"
  else
    hs.message = tostring(#obj.status.nodeIds) .. "/" .. tostring(want) .. " nodes"
  end
end
return hs

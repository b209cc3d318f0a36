-- Health of an Istio configuration resource (VirtualService, DestinationRule, Gateway, ServiceEntry,
-- Sidecar, PeerAuthentication, AuthorizationPolicy, RequestAuthentication, Telemetry), from what
-- istiod writes to status when PILOT_ENABLE_STATUS / config status is on:
--   Degraded     an analysis message of level ERROR in status.validationMessages
--   Progressing  istiod has not yet observed the current generation, or Reconciled is not True
--   Healthy      otherwise, including when istiod writes no status at all (status is optional)
-- Messages of level WARNING are reported in the message but keep the resource Healthy.
local hs = { status = "Healthy", message = "" }
if obj.status == nil then
  return hs
end
local warnings = {}
if obj.status.validationMessages ~= nil then
  for _, m in ipairs(obj.status.validationMessages) do
    local level = ""
    if m.level ~= nil then
      level = m.level
    end
    local code = ""
    if m.type ~= nil and m.type.code ~= nil then
      code = m.type.code .. " "
    end
    local text = code .. (m.documentationUrl or "")
    if m.description ~= nil then
      text = code .. m.description
    end
    if level == "ERROR" then
      hs.status = "Degraded"
      hs.message = text
      return hs
    elseif level == "WARNING" then
      table.insert(warnings, text)
    end
  end
end
local generation = nil
if obj.metadata ~= nil then
  generation = obj.metadata.generation
end
if obj.status.observedGeneration ~= nil and generation ~= nil and tonumber(obj.status.observedGeneration) < tonumber(generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for istiod to observe generation " .. tostring(generation)
  return hs
end
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Reconciled" and c.status ~= "True" then
      hs.status = "Progressing"
      hs.message = c.message or "Not yet reconciled by all proxies"
      return hs
    end
  end
end
if #warnings > 0 then
  hs.message = table.concat(warnings, "; ")
end
return hs

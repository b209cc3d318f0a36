-- Health of a prometheus-operator configuration resource (ServiceMonitor, PodMonitor, PrometheusRule),
-- from the status the operator writes when its status subresource for configuration resources is on
-- (feature gate StatusForConfigurationResources): one entry in status.bindings per Prometheus that
-- selects the resource, each with an Accepted condition.
--   Degraded     a binding whose Accepted condition is False (the operator rejected the resource)
--   Progressing  a binding whose Accepted condition is Unknown, or observed an older generation
--   Healthy      otherwise, including when there is no status at all: older operators and the default
--                feature gates write none, and a resource no Prometheus selects has no bindings
local hs = { status = "Healthy", message = "" }
if obj.status == nil or obj.status.bindings == nil then
  return hs
end
local generation = nil
if obj.metadata ~= nil then
  generation = obj.metadata.generation
end
local progressing = nil
for _, b in ipairs(obj.status.bindings) do
  local who = (b.namespace or "") .. "/" .. (b.name or "")
  if b.conditions ~= nil then
    for _, c in ipairs(b.conditions) do
      if c.type == "Accepted" then
        if c.status == "False" then
          hs.status = "Degraded"
          hs.message = who .. ": " .. (c.reason or "Rejected")
          if c.message ~= nil and c.message ~= "" then
            hs.message = hs.message .. ": " .. c.message
          end
          return hs
        elseif c.status ~= "True" and progressing == nil then
          progressing = who .. ": not yet accepted"
        elseif c.observedGeneration ~= nil and generation ~= nil and tonumber(c.observedGeneration) < tonumber(generation) and progressing == nil then
          progressing = who .. ": waiting for generation " .. tostring(generation)
        end
      end
    end
  end
end
if progressing ~= nil then
  hs.status = "Progressing"
  hs.message = progressing
end
return hs

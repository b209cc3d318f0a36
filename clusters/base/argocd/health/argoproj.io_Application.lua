-- Health of a child Application, so that sync waves between child apps wait for the earlier wave
-- to be Healthy (Argo CD dropped this built-in check in 1.8; docs/operator-manual/health.md).
-- Reports the child's own health status and message; Progressing until it has one.
local hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil and obj.status.health ~= nil and obj.status.health.status ~= nil then
  hs.status = obj.status.health.status
  if obj.status.health.message ~= nil then
    hs.message = obj.status.health.message
  end
end
return hs

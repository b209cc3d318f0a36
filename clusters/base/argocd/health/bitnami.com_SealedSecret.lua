-- Health of a SealedSecret, from the Synced condition the Sealed Secrets controller writes
-- (ported from Argo CD's bundled check):
--   Synced=False -> Degraded    (cannot decrypt: sealed for another cluster's key, or wrong name/namespace)
--   Synced=True  -> Healthy     (the Secret exists and matches)
--   no condition -> Progressing (the controller has not seen it yet)
local hs = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Synced" and c.status == "False" then
      hs.status = "Degraded"
      hs.message = c.message or ""
      return hs
    end
    if c.type == "Synced" and c.status == "True" then
      hs.status = "Healthy"
      hs.message = c.message or ""
      return hs
    end
  end
end
hs.status = "Progressing"
hs.message = "Waiting for the controller to decrypt"
return hs

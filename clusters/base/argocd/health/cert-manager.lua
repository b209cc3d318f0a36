-- Health of cert-manager Certificates, Issuers and ClusterIssuers, from the conditions
-- cert-manager writes (ported from Argo CD's bundled cert-manager.io checks):
--   Issuing=True            -> Progressing (a certificate is being (re)issued)
--   Ready=False             -> Degraded    (issuance or issuer registration failed; message says why)
--   Ready=True              -> Healthy
--   no Ready condition yet  -> Progressing
local hs = {}
local conditions = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  conditions = obj.status.conditions
end
for _, c in ipairs(conditions) do
  if c.type == "Issuing" and c.status == "True" then
    hs.status = "Progressing"
    hs.message = c.message or "Issuing certificate"
    return hs
  end
end
for _, c in ipairs(conditions) do
  if c.type == "Ready" and c.status == "False" then
    hs.status = "Degraded"
    hs.message = c.message or ""
    return hs
  end
  if c.type == "Ready" and c.status == "True" then
    hs.status = "Healthy"
    hs.message = c.message or ""
    return hs
  end
end
hs.status = "Progressing"
hs.message = "Waiting for cert-manager"
return hs

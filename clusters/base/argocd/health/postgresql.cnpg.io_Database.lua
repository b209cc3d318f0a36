-- Health of a CloudNativePG Database, from what the operator writes after reconciling it in
-- PostgreSQL:
--   status.applied true   -> Healthy     (the database exists with that owner and settings)
--   status.applied false  -> Degraded    (the operator could not apply it; message says why,
--                                         e.g. the owner role does not exist)
--   no status yet         -> Progressing
local hs = { status = "Progressing", message = "Waiting for the operator" }
if obj.status == nil or obj.status.applied == nil then
  return hs
end
if obj.status.applied == true then
  hs.status = "Healthy"
  hs.message = ""
else
  hs.status = "Degraded"
  hs.message = obj.status.message or "not applied"
end
return hs

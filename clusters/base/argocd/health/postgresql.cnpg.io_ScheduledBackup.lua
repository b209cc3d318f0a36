-- Health of a CloudNativePG ScheduledBackup. The operator writes status.lastScheduleTime when it
-- creates a Backup and status.lastCheckTime on every check; the Backups themselves carry success.
--   Suspended    spec.suspend is true (no backups are taken)
--   Healthy      the schedule is registered (any status) or has not run yet; it is a schedule,
--                so waiting for the first run must not block later sync waves
local hs = { status = "Healthy", message = "" }
if obj.spec ~= nil and obj.spec.suspend == true then
  hs.status = "Suspended"
  hs.message = "Backups are suspended"
  return hs
end
if obj.status ~= nil and obj.status.lastScheduleTime ~= nil then
  hs.message = "Last backup scheduled at " .. obj.status.lastScheduleTime
else
  hs.message = "No backup scheduled yet"
end
return hs

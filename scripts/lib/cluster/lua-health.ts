import { lauxlib, lua, lualib, to_luastring } from 'fengari';

export interface LuaHealth {
  status: string;
  message: string;
}

type LuaState = ReturnType<typeof lauxlib.luaL_newstate>;

/** Instructions a script may run before it is stopped, standing in for Argo CD's 1 s Lua timeout. */
const INSTRUCTION_BUDGET = 10_000_000;

/**
 * Runs an Argo CD health script (global `obj`, returns `{status, message}`) against an object.
 * fengari is Lua 5.3 and Argo CD's gopher-lua is 5.1: JSON integers become Lua integers here so
 * `tostring(3)` prints `3` in both. Any failure is reported as Unknown, as Argo CD does.
 */
export function runLuaHealth(script: string, obj: unknown): LuaHealth {
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  let steps = 0;
  lua.lua_sethook(
    L,
    (state) => {
      steps += 1000;
      if (steps > INSTRUCTION_BUDGET) lauxlib.luaL_error(state, to_luastring('health script ran too long'));
    },
    lua.LUA_MASKCOUNT,
    1000,
  );
  try {
    pushValue(L, obj);
  } catch (err) {
    return { status: 'Unknown', message: `health script input: ${(err as Error).message}` };
  }
  lua.lua_setglobal(L, to_luastring('obj'));
  if (lauxlib.luaL_loadstring(L, to_luastring(script)) !== lua.LUA_OK)
    return { status: 'Unknown', message: `health script does not compile: ${lua.lua_tojsstring(L, -1)}` };
  if (lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK)
    return { status: 'Unknown', message: `health script failed: ${lua.lua_tojsstring(L, -1)}` };
  if (lua.lua_type(L, -1) !== lua.LUA_TTABLE)
    return { status: 'Unknown', message: 'health script returned no table' };
  const field = (name: string) => {
    lua.lua_getfield(L, -1, to_luastring(name));
    const t = lua.lua_type(L, -1);
    const v = t === lua.LUA_TSTRING || t === lua.LUA_TNUMBER ? lua.lua_tojsstring(L, -1) : '';
    lua.lua_pop(L, 1);
    return v;
  };
  return { status: field('status') || 'Unknown', message: field('message') };
}

function pushValue(L: LuaState, value: unknown): void {
  // Each nesting level holds a table and a key on the Lua stack, whose default size is 20 slots:
  // deep objects (an EnvoyFilter's typed_config) need it grown as they go.
  if (!lua.lua_checkstack(L, 3)) throw new Error('object too deeply nested for a health check');
  if (value === null || value === undefined) lua.lua_pushnil(L);
  else if (typeof value === 'boolean') lua.lua_pushboolean(L, value);
  else if (typeof value === 'number') {
    if (Number.isInteger(value)) lua.lua_pushinteger(L, value);
    else lua.lua_pushnumber(L, value);
  } else if (typeof value === 'string') lua.lua_pushstring(L, to_luastring(value));
  else if (Array.isArray(value)) {
    lua.lua_newtable(L);
    value.forEach((item, i) => {
      pushValue(L, item);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else if (typeof value === 'object') {
    lua.lua_newtable(L);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      lua.lua_pushstring(L, to_luastring(k));
      pushValue(L, v);
      lua.lua_settable(L, -3);
    }
  } else lua.lua_pushnil(L);
}

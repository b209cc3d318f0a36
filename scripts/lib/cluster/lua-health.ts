import { lauxlib, lua, lualib, to_luastring } from 'fengari';

export interface LuaHealth {
  status: string;
  message: string;
}

type LuaState = ReturnType<typeof lauxlib.luaL_newstate>;

/** Instructions a script may run before it is stopped, standing in for Argo CD's 1 s Lua timeout. */
const INSTRUCTION_BUDGET = 10_000_000;

/**
 * One Lua VM for every check: creating a VM with its libraries costs ~5 ms, running a check well
 * under one, and health evaluates hundreds of resources per poll. Each run still starts clean, as
 * Argo CD's fresh VM per check does: the script runs with its own global table (`obj` in it, reads
 * falling through to the standard library), so nothing one run sets is seen by the next.
 */
let vm: { L: LuaState; steps: number; compiled: Map<string, number | string> } | undefined;

function luaVm() {
  if (vm) return vm;
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  const state = { L, steps: 0, compiled: new Map<string, number | string>() };
  lua.lua_sethook(
    L,
    (s) => {
      state.steps += 1000;
      if (state.steps > INSTRUCTION_BUDGET) lauxlib.luaL_error(s, to_luastring('health script ran too long'));
    },
    lua.LUA_MASKCOUNT,
    1000,
  );
  vm = state;
  return state;
}

/** The script compiled once, kept in the registry; or why it does not compile. */
function compiled(script: string): number | string {
  const v = luaVm();
  let ref = v.compiled.get(script);
  if (ref === undefined) {
    ref =
      lauxlib.luaL_loadstring(v.L, to_luastring(script)) === lua.LUA_OK
        ? lauxlib.luaL_ref(v.L, lua.LUA_REGISTRYINDEX)
        : `health script does not compile: ${lua.lua_tojsstring(v.L, -1)}`;
    lua.lua_settop(v.L, 0);
    v.compiled.set(script, ref);
  }
  return ref;
}

/**
 * Runs an Argo CD health script (global `obj`, returns `{status, message}`) against an object.
 * fengari is Lua 5.3 and Argo CD's gopher-lua is 5.1: JSON integers become Lua integers here so
 * `tostring(3)` prints `3` in both. Any failure is reported as Unknown, as Argo CD does.
 */
export function runLuaHealth(script: string, obj: unknown): LuaHealth {
  const ref = compiled(script);
  if (typeof ref === 'string') return { status: 'Unknown', message: ref };
  const v = luaVm();
  const L = v.L;
  v.steps = 0;
  try {
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
    // A fresh global table for this run: { obj = … } reading through to _G.
    lua.lua_newtable(L);
    try {
      pushValue(L, obj);
    } catch (err) {
      return { status: 'Unknown', message: `health script input: ${(err as Error).message}` };
    }
    lua.lua_setfield(L, -2, to_luastring('obj'));
    lua.lua_newtable(L);
    lua.lua_pushglobaltable(L);
    lua.lua_setfield(L, -2, to_luastring('__index'));
    lua.lua_setmetatable(L, -2);
    lua.lua_setupvalue(L, -2, 1);
    if (lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK)
      return { status: 'Unknown', message: `health script failed: ${lua.lua_tojsstring(L, -1)}` };
    if (lua.lua_type(L, -1) !== lua.LUA_TTABLE)
      return { status: 'Unknown', message: 'health script returned no table' };
    const field = (name: string) => {
      lua.lua_getfield(L, -1, to_luastring(name));
      const t = lua.lua_type(L, -1);
      const value = t === lua.LUA_TSTRING || t === lua.LUA_TNUMBER ? lua.lua_tojsstring(L, -1) : '';
      lua.lua_pop(L, 1);
      return value;
    };
    return { status: field('status') || 'Unknown', message: field('message') };
  } finally {
    lua.lua_settop(L, 0);
  }
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

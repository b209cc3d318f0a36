// The subset of fengari's C-like Lua API the health runner uses (fengari ships no types).
declare module 'fengari' {
  type LuaState = object;
  export const lua: {
    LUA_OK: number;
    LUA_TNIL: number;
    LUA_TTABLE: number;
    LUA_TSTRING: number;
    LUA_TNUMBER: number;
    LUA_TBOOLEAN: number;
    lua_newtable(L: LuaState): void;
    lua_checkstack(L: LuaState, n: number): boolean;
    lua_pushnil(L: LuaState): void;
    lua_pushboolean(L: LuaState, b: boolean): void;
    lua_pushinteger(L: LuaState, n: number): void;
    lua_pushnumber(L: LuaState, n: number): void;
    lua_pushstring(L: LuaState, s: Uint8Array): void;
    lua_settable(L: LuaState, index: number): void;
    lua_rawseti(L: LuaState, index: number, i: number): void;
    lua_setglobal(L: LuaState, name: Uint8Array): void;
    lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
    lua_type(L: LuaState, index: number): number;
    lua_getfield(L: LuaState, index: number, k: Uint8Array): number;
    lua_tojsstring(L: LuaState, index: number): string;
    lua_pop(L: LuaState, n: number): void;
    lua_sethook(L: LuaState, f: ((L: LuaState) => void) | null, mask: number, count: number): void;
    LUA_MASKCOUNT: number;
    LUA_REGISTRYINDEX: number;
    lua_settop(L: LuaState, index: number): void;
    lua_rawgeti(L: LuaState, index: number, n: number): number;
    lua_setfield(L: LuaState, index: number, k: Uint8Array): void;
    lua_setmetatable(L: LuaState, index: number): void;
    lua_pushglobaltable(L: LuaState): void;
    lua_setupvalue(L: LuaState, funcindex: number, n: number): Uint8Array | null;
  };
  export const lauxlib: {
    luaL_newstate(): LuaState;
    luaL_loadstring(L: LuaState, s: Uint8Array): number;
    luaL_error(L: LuaState, msg: Uint8Array): never;
    luaL_ref(L: LuaState, t: number): number;
  };
  export const lualib: { luaL_openlibs(L: LuaState): void };
  export function to_luastring(s: string): Uint8Array;
}

---@meta geo
-- Generated from spec/geo.spec by goost-memory. Do not edit by hand.
-- An `integer` is a Lua integer on Lua 5.3 and 5.4. On Lua 5.1, 5.2, LuaJIT and Luau,
-- whose numbers are doubles, it is a number with an integral value within
-- ±(2^53 - 1), both ways: any other number is refused, and a larger result is an error.

---Points on a grid, measured from an origin that each script's host chooses.
---
---Each context holds a `GeoState`: the origin that distances are measured from, the
---prefix of labels, and a count of the labels made. The host provides it; a script
---cannot change it.
---@class geo
local geo = {}

---@class geo.point
geo.point = {}

---Squared distance from the origin to (x, y); an error when it does not fit an int
---@param x integer
---@param y integer
---@return integer
function geo.point.dist2(x, y) end

---The point as text, with the context's prefix, e.g. `P(3, 4)`
---@param x integer
---@param y integer
---@return string
function geo.point.label(x, y) end

---@class geo.stats
geo.stats = {}

---How many labels this context has made
---@return integer
function geo.stats.labels() end

return geo

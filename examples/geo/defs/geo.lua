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

---A point on the plane; coordinates are in metres.
---@class geo.Point
---@field x number Metres east of the origin
---@field y number Metres north of the origin
---@field label? string What the point is called

---@alias geo.Unit "m"|"km"|"mi"

---@class geo.path
geo.path = {}

---A new, empty path
---@param name string
---@return geo.Path
function geo.path.new(name) end

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

---The midpoint of `a` and `b`, without a label
---@param a geo.Point
---@param b geo.Point
---@return geo.Point
function geo.point.mid(a, b) end

---The distance from `a` to `b` in `unit` (metres when left out)
---@param a geo.Point
---@param b geo.Point
---@param unit? geo.Unit
---@return number
function geo.point.dist(a, b, unit) end

---How many points carry each label (points without one count under `""`)
---@param points geo.Point[]
---@return table<string, integer>
function geo.point.count(points) end

---@class geo.stats
geo.stats = {}

---How many labels this context has made
---@return integer
function geo.stats.labels() end

---How many `geo.Path` objects of this context are alive
---@return integer
function geo.stats.paths() end

---A named path of points, in metres; scripts hold it and call its methods.
---@class geo.Path
local __geo_Path = {}

---Appends the point (x, y); the number of points
---@param x number
---@param y number
---@return integer
function __geo_Path:push(x, y) end

---The sum of the segment lengths
---@return number
function __geo_Path:length() end

---The path's name
---@return string
function __geo_Path:name() end

return geo

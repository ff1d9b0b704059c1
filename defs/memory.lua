---@meta memory
-- Generated from spec/memory.spec (memory 0.1.0) by goost-memory. Do not edit by hand.
-- An `integer` is a Lua integer on Lua 5.3 and 5.4. On Lua 5.1, 5.2, LuaJIT and Luau,
-- whose numbers are doubles, it is a number with an integral value within
-- ±(2^53 - 1), both ways: any other number is refused, and a larger result is an error.

---Byte buffers, string interning pools, and allocator/GC introspection.
---
---Grow-able byte buffers, string interning pools, and read-only access to allocator and garbage-collector statistics. Import it with `import memory`.
---
---Buffers and pools are referenced by integer handles returned from their `new` functions; free them with `free` when done.
---@class memory
local memory = {}

---@class memory.buffer
memory.buffer = {}

---Allocate a new buffer; returns its handle
---@return integer
function memory.buffer.new() end

---Append data to the buffer
---@param id integer
---@param data string
---@return boolean
function memory.buffer.write(id, data) end

---Read the full buffer contents
---@param id integer
---@return string
function memory.buffer.read(id) end

---Empty the buffer, keeping it allocated
---@param id integer
function memory.buffer.reset(id) end

---Current byte length
---@param id integer
---@return integer
function memory.buffer.len(id) end

---Release the buffer
---@param id integer
function memory.buffer.free(id) end

---A pool deduplicates equal strings (interning).
---@class memory.pool
memory.pool = {}

---Allocate a new interning pool; returns its handle
---@return integer
function memory.pool.new() end

---Return the pooled copy of `s`, adding it if new
---@param id integer
---@param s string
---@return string
function memory.pool.intern(id, s) end

---Whether `s` is already interned
---@param id integer
---@param s string
---@return boolean
function memory.pool.has(id, s) end

---Number of interned strings
---@param id integer
---@return integer
function memory.pool.size(id) end

---Release the pool
---@param id integer
function memory.pool.free(id) end

---@class memory.alloc
memory.alloc = {}

---JSON string with `alloc`, `totalAlloc`, `sys`, `numGC`, `goroutines`
---@return string
function memory.alloc.stats() end

---Bytes of allocated heap objects
---@return integer
function memory.alloc.heapAlloc() end

---Bytes of heap memory obtained from the OS
---@return integer
function memory.alloc.heapSys() end

---Completed GC cycles
---@return integer
function memory.alloc.numGC() end

---@class memory.gc
memory.gc = {}

---Run a garbage collection now
function memory.gc.run() end

---Set the GC target percentage; returns the previous value
---@param pct integer
---@return integer
function memory.gc.setPercent(pct) end

---Force a GC and return unused memory to the OS
function memory.gc.freeOSMemory() end

return memory

local memory = require("memory")

-- build a string with a buffer
local buf = memory.buffer.new()
memory.buffer.write(buf, "hello ")
memory.buffer.write(buf, "world")
print(memory.buffer.read(buf))   -- hello world
print(memory.buffer.len(buf))    -- 11
memory.buffer.free(buf)

-- intern repeated strings
local pool = memory.pool.new()
local a = memory.pool.intern(pool, "tag")
local b = memory.pool.intern(pool, "tag")
print(memory.pool.size(pool))    -- 1
memory.pool.free(pool)

-- inspect heap usage
print(memory.alloc.heapAlloc())

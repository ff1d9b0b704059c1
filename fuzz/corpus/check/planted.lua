-- Each marked line holds one planted error that `goost-memory check` must report.
local memory = require("memory")

local buf = memory.buffer.new()
memory.buffer.write(buf, 42)          -- a literal of the wrong type
memory.buffer.write(buf)              -- a missing argument
memory.buffer.wirte(buf, "x")         -- an unknown function
print(memory.pool.size(memory.pool.new(), "extra"))   -- an extra argument
memory.gc.setPercent("fifty")         -- a literal of the wrong type
memory.buffer.free(buf)

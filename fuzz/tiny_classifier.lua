-- The smallest classifier the classifier file's contract allows (one
-- 28x28x1 image in, flat features and 10 logits out): 250 parameters, so
-- that its file is a small fuzz seed (fuzz/make_seeds.c writes it) and
-- `make test-valgrind`'s run scores its samples quickly. Not trained: what
-- it scores is meaningless, and its runs only have to run.
local ddim = require "ddim"

local tiny = {}

function tiny.network()
  local image = ddim.input{28, 28, 1, name = "image"}
  local pooled = ddim.avg_pool2(ddim.avg_pool2(image))                    -- 7x7x1
  local features = ddim.dense(ddim.flatten(pooled), 4, {activation = "relu"})
  return ddim.classifier{input = image, features = features, output = ddim.dense(features, 10)}
end

return tiny

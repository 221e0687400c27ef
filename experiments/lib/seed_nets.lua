-- The seed question's two networks (../shared/seed/README.md), written with
-- ddim's functional API. Each function builds a fresh model: call it once
-- per variant, since every variant trains its own weights.
--
-- Inputs, as in the seed: the noisy image x (28x28x1) and the noise level
-- t (1x1x1, the seed feeds t^2), broadcast-added to every pixel. Output:
-- the predicted noise (28x28x1). Layers use 'same' padding and 3x3 kernels.
local ddim = require "ddim"

local nets = {}

-- The networks' input: Flatten()(Add()([x0, t0])) as in the seed, or with
-- options.embedding = "sinusoidal" the Keras example's 32 sinusoids of the
-- noise level in place of t: projected by a linear Dense to the image's 784
-- pixels and added to x (25,120 parameters; concatenating them to every
-- pixel instead would give the first Dense 81 million).
local function network_input(x, t, options)
  if options and options.embedding == "sinusoidal" then
    local e = ddim.sinusoidal_embedding(t, {channels = 32, min_frequency = 1, max_frequency = 1000})
    return ddim.flatten(x + ddim.reshape(ddim.dense(ddim.flatten(e), 784), {28, 28, 1}))
  end
  return ddim.flatten(x + t)
end

-- The minimal model of the question's first version.
function nets.first(options)
  local x = ddim.input{28, 28, 1, name = "x"}      -- x0 = Input(shape=(28, 28, 1))
  local t = ddim.input{1, 1, 1, name = "t"}        -- t0 = Input(shape=(1, 1, 1))
  local h = network_input(x, t, options)           -- Flatten()(Add()([x0, t0]))
  h = ddim.dense(h, 7 * 7 * 64, {activation = "relu"})                     -- Dense(7*7*64, relu)
  h = ddim.reshape(h, {7, 7, 64})                                          -- Reshape((7, 7, 64))
  h = ddim.conv_transpose2d(h, 64, {stride = 2, activation = "relu"})      -- 7x7 -> 14x14
  h = ddim.conv_transpose2d(h, 32, {stride = 2, activation = "relu"})      -- 14x14 -> 28x28
  local y = ddim.conv_transpose2d(h, 1, {stride = 1, activation = "sigmoid"}) -- 28x28x1
  return ddim.model{inputs = {x, t}, output = y}
end

-- Update 2: one skip connection. A linear Dense(784) of the flattened x + t
-- is both the skip path s (reshaped to 28x28x1, "x1" in the seed) and the
-- input of the first network's body; the last layer is relu, not sigmoid,
-- and the output is body + s. (The post's prose says x and t are
-- "multiplied"; its code adds them, as here.)
function nets.skip(options)
  local x = ddim.input{28, 28, 1, name = "x"}      -- x0
  local t = ddim.input{1, 1, 1, name = "t"}        -- t0
  local s = ddim.dense(network_input(x, t, options), 784) -- Dense(784, activation="linear")(Flatten()(Add()))
  local skip = ddim.reshape(s, {28, 28, 1})        -- x1 = Reshape((28, 28, 1))(x)
  local h = ddim.dense(s, 7 * 7 * 64, {activation = "relu"})               -- Dense(7*7*64, relu)(x), from s
  h = ddim.reshape(h, {7, 7, 64})
  h = ddim.conv_transpose2d(h, 64, {stride = 2, activation = "relu"})
  h = ddim.conv_transpose2d(h, 32, {stride = 2, activation = "relu"})
  h = ddim.conv_transpose2d(h, 1, {stride = 1, activation = "relu"})       -- relu here in update 2
  return ddim.model{inputs = {x, t}, output = h + skip}                    -- Add()([x, x1])
end

return nets

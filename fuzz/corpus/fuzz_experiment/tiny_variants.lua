local ddim = require 'ddim'
local function tiny()
  local x = ddim.input{28, 28, 1}
  local t = ddim.input{1, 1, 1}
  local h = ddim.dense(ddim.flatten(x + t), 784, {activation = 'relu'})
  return ddim.model{inputs = {x, t}, output = ddim.reshape(h, {28, 28, 1})}
end
return ddim.experiment {
  name = 'tiny',
  seeds = {1, 2},
  train = { epochs = 1, batch_size = 32 },
  quick = { train = { max_images = 64 } },
  variants = {
    { name = 'a', model = tiny() },
    { name = 'b', model = tiny(), diffusion = { steps = 4 } },
    { name = 'c', model = ddim.model_of('experiments/unet_full.lua', 'unet') },
  },
}

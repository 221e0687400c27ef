-- The diffusion schedule alone: the seed's none (noisy = image + noise), the
-- Keras example's offset cosine, and a linear signal rate, everything else
-- as the Keras example's full configuration.
local ddim = require "ddim"
local unet = require "lib.unet"

return ddim.experiment {
  name = "schedule",
  train = { epochs = 1, batch_size = 64, learning_rate = 1e-3, weight_decay = 1e-4, dataset = "train",
            normalize = true, ema = 0.999 },
  diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, gradient_trick = false },
  quick = { train = { max_images = 512 }, diffusion = { steps = 10 } },
  variants = {
    { name = "none", model = unet.network(), diffusion = { schedule = "none" } },
    { name = "cosine", model = unet.network(), diffusion = { schedule = "cosine" } },
    { name = "linear", model = unet.network(), diffusion = { schedule = "linear" } },
  },
}

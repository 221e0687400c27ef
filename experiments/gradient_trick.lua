-- The seed's own invention, the gradient trick (pred_image = noisy - pred_noise
-- - d(sum pred_noise)/d(noisy)), on and off: with the seed's skip network and
-- diffusion, and with the Keras example's full configuration.
local ddim = require "ddim"
local nets = require "lib.seed_nets"
local unet = require "lib.unet"

local keras = { schedule = "cosine" }
return ddim.experiment {
  name = "gradient_trick",
  train = { epochs = 1, batch_size = 64, learning_rate = 1e-3, weight_decay = 1e-4, dataset = "train" },
  diffusion = { steps = 20 },
  quick = { train = { max_images = 512 }, diffusion = { steps = 10 } },
  variants = {
    { name = "seed_skip_trick", model = nets.skip(), diffusion = { gradient_trick = true } },
    { name = "seed_skip_no_trick", model = nets.skip(), diffusion = { gradient_trick = false } },
    { name = "unet_full_trick", model = unet.network(), train = { normalize = true, ema = 0.999 },
      diffusion = { schedule = keras.schedule, gradient_trick = true } },
    { name = "unet_full_no_trick", model = unet.network(), train = { normalize = true, ema = 0.999 },
      diffusion = { schedule = keras.schedule, gradient_trick = false } },
  },
}

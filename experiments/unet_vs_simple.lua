-- Is it the convolutions or the U-Net's skips? The residual U-Net, the same
-- blocks without the skip connections (a plain convolutional encoder-decoder),
-- and the seed's skip network, all with the Keras example's diffusion.
local ddim = require "ddim"
local nets = require "lib.seed_nets"
local unet = require "lib.unet"

return ddim.experiment {
  name = "unet_vs_simple",
  train = { epochs = 1, batch_size = 64, learning_rate = 1e-3, weight_decay = 1e-4, dataset = "train",
            normalize = true, ema = 0.999 },
  diffusion = { steps = 20, schedule = "cosine", gradient_trick = false },
  quick = { train = { max_images = 512 }, diffusion = { steps = 10 } },
  variants = {
    { name = "unet", model = unet.network() },
    { name = "unet_without_skips", model = unet.network{skips = false} },
    { name = "seed_skip_network", model = nets.skip{embedding = "sinusoidal"} },
  },
}

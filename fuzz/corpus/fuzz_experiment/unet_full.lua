-- The Keras DDIM example's full configuration at MNIST size, the "everything
-- on" reference of the seed's question (../shared/seed/README.md): the
-- residual U-Net with the sinusoidal noise embedding, the offset cosine
-- schedule with deterministic DDIM sampling, dataset normalization, an EMA
-- of the weights for sampling, no gradient trick, MAE loss, AdamW 1e-3 with
-- weight decay 1e-4, batch 64, 20 sampling steps, the 60,000 training digits.
local ddim = require "ddim"
local unet = require "lib.unet"

return ddim.experiment {
  name = "unet_full",
  train = { epochs = 5, batch_size = 64, learning_rate = 1e-3, weight_decay = 1e-4,
            loss = "mae", seed = 1, dataset = "train", ema = 0.999, normalize = true },
  diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95,
                schedule = "cosine", gradient_trick = false },
  sample = { grid = 8, scale = 3 },
  -- What --quick changes: a smoke run on the first 4096 images.
  quick = { train = { epochs = 1, max_images = 4096 }, sample = { metric_samples = 256 } },
  variants = {
    { name = "unet", model = unet.network{widths = {32, 64, 96}, block_depth = 2} },
  },
}

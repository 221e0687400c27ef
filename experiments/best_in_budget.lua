-- The lab's answer to "what gets good digits fastest" on 2 cores in 30
-- minutes of training: the Keras example's full configuration with a
-- shallower U-Net (one residual block per level instead of two: half the
-- FLOPs a step, so twice the steps in the budget), the EMA warmed up so that
-- a short run's average is not still the initial weights, and as many
-- epochs as fit the budget.
local ddim = require "ddim"
local unet = require "lib.unet"

return ddim.experiment {
  name = "best_in_budget",
  train = { epochs = 8, batch_size = 64, learning_rate = 1e-3, weight_decay = 1e-4,
            loss = "mae", seed = 1, dataset = "train", ema = 0.999, ema_warmup = true, normalize = true },
  diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95,
                schedule = "cosine", gradient_trick = false },
  sample = { grid = 8, scale = 3 },
  quick = { train = { epochs = 1, max_images = 4096 }, sample = { metric_samples = 256 } },
  variants = {
    { name = "unet", model = unet.network{widths = {32, 64, 96}, block_depth = 1} },
  },
}

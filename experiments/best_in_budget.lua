-- The lab's answer to "what gets good digits fastest" on 2 cores in 30
-- minutes of training: the Keras example's full configuration (the extras
-- the seed_extras ablation shows matter), with the EMA warmed up so that a
-- short run's average is not still the initial weights, trained as many
-- epochs as fit the budget (a U-Net step is about 0.27 s on 2 AVX-512 cores:
-- 6 epochs of 937 steps are about 25 minutes).
local ddim = require "ddim"
local unet = require "lib.unet"

return ddim.experiment {
  name = "best_in_budget",
  train = { epochs = 6, batch_size = 64, learning_rate = 1e-3, weight_decay = 1e-4,
            loss = "mae", seed = 1, dataset = "train", ema = 0.999, ema_warmup = true, normalize = true },
  diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95,
                schedule = "cosine", gradient_trick = false },
  sample = { grid = 8, scale = 3 },
  quick = { train = { epochs = 1, max_images = 4096 }, sample = { metric_samples = 256 } },
  variants = {
    { name = "unet", model = unet.network{widths = {32, 64, 96}, block_depth = 2} },
  },
}

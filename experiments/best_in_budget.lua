-- What draws good digits fastest on 2 cores, within 30 minutes of training?
-- The Keras example's residual U-Net (two blocks a level) with the noise
-- level fed raw to every residual block, predicting v with the MSE loss and
-- noise levels drawn by their P2 weight (gamma 2), batches of 32, AdamW 3e-3
-- decayed along a cosine, a warmed-up EMA, 6 epochs; sampled with 100
-- stochastic steps (eta 1) and autoguidance by its own epoch-1 weights.
-- Why each choice, with the measured runs: docs/best_in_budget.md.
local ddim = require "ddim"
local unet = require "lib.unet"

return ddim.experiment {
  name = "best_in_budget",
  train = { epochs = 6, batch_size = 32, learning_rate = 3e-3, weight_decay = 1e-4,
            loss = "mse", p2_gamma = 2, p2_sampling = true, cosine_decay = true, seed = 1, dataset = "train", ema = 0.999, ema_warmup = true, normalize = true },
  diffusion = { steps = 100, eta = 1, min_signal_rate = 0.02, max_signal_rate = 0.95,
                schedule = "cosine", gradient_trick = false, prediction = "velocity",
                guide_epoch = 1, guidance = 1.5 },
  sample = { grid = 8, scale = 3 },
  quick = { train = { epochs = 1, max_images = 4096 }, diffusion = { steps = 20, guide_epoch = 0, guidance = 1 },
            sample = { metric_samples = 256 } },
  variants = {
    { name = "unet", model = unet.network{widths = {32, 64, 96}, block_depth = 2, embedding = "raw", noise_in_blocks = true} },
  },
}

-- The seed's whole question (../shared/seed/README.md): what does each
-- "extra" of a diffusion model contribute on MNIST? Every extra is a switch
-- between its value in the Keras example's full configuration and its value
-- in a minimal one built from the question (the seed's first network, no
-- schedule, no normalization, no EMA, the gradient trick, MSE); the harness
-- runs the full configuration without each extra (top-down, as the answer
-- recommends) and the minimal one with each extra (bottom-up, as the
-- question's author worked). Shared: AdamW 1e-3 with weight decay 1e-4,
-- batch 64, 20 DDIM steps; each variant trains on the first 12,800
-- training digits (200 steps: 16 variants x 3 seeds fit in about half an
-- hour on 2 cores) and is scored on 500 samples.
local ddim = require "ddim"
local ablation = require "lib.ablation"
local nets = require "lib.seed_nets"
local unet = require "lib.unet"

return ddim.experiment(ablation.generate {
  name = "seed_extras",
  train = { epochs = 1, batch_size = 64, learning_rate = 1e-3, weight_decay = 1e-4, dataset = "train",
            max_images = 12800 },
  diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95 },
  sample = { grid = 8, scale = 3, metric_samples = 500 },
  -- What --quick changes: every variant end to end on 512 digits.
  quick = { train = { epochs = 1, max_images = 512 }, diffusion = { steps = 10 }, sample = { metric_samples = 128 } },
  seeds = { 1, 2, 3 },
  network = function(on)
    local embedding = on.sinusoidal and "sinusoidal" or "raw"
    if on.unet then return unet.network{widths = {32, 64, 96}, block_depth = 2, embedding = embedding} end
    return nets.first{embedding = embedding}
  end,
  extras = {
    { name = "unet", what = "the residual U-Net (or the seed's first network)" },
    { name = "sinusoidal", what = "the sinusoidal noise embedding (or the noise level itself)" },
    { name = "cosine", what = "the offset cosine schedule (or the seed's none)",
      full = { diffusion = { schedule = "cosine" } }, minimal = { diffusion = { schedule = "none" } } },
    { name = "normalize", what = "dataset normalization",
      full = { train = { normalize = true } }, minimal = { train = { normalize = false } } },
    { name = "ema", what = "the EMA of the weights (0.999, warmed up)",
      full = { train = { ema = 0.999, ema_warmup = true } }, minimal = { train = { ema = 0 } } },
    { name = "no_trick", what = "plain gradients (not the seed's gradient trick)",
      full = { diffusion = { gradient_trick = false } }, minimal = { diffusion = { gradient_trick = true } } },
    { name = "mae", what = "MAE loss (or MSE)",
      full = { train = { loss = "mae" } }, minimal = { train = { loss = "mse" } } },
  },
})

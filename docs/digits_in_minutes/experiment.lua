-- What draws digits in about five minutes of training on 2 cores? A small
-- residual U-Net (widths 16, 32, 64; one block a level; the noise level fed
-- raw to every block) trained as best_in_budget.lua trains (v prediction,
-- MSE, noise levels drawn by their P2 weight, AdamW decayed along a cosine,
-- a warmed-up EMA) but at batch 64 and 5e-3, for 3 epochs of 50,000 digits;
-- sampled with 50 stochastic steps and autoguidance by its own epoch-1
-- weights. The settings live in lib/recipe.lua; what they measured:
-- docs/digits_in_minutes.md.
local ddim = require "ddim"
local recipe = require "lib.recipe"

return ddim.experiment {
  name = "digits_in_minutes",
  train = recipe.train(),
  diffusion = recipe.diffusion(),
  sample = { grid = 8, scale = 3 },
  -- What --quick changes: a smoke run of seconds on the first 1024 digits.
  quick = { train = { epochs = 1, max_images = 1024 }, diffusion = { steps = 10, guide_epoch = 0, guidance = 1 },
            sample = { metric_samples = 128 } },
  seeds = { 1, 2, 3 },
  variants = {
    { name = "small_unet", model = recipe.network() },
  },
}

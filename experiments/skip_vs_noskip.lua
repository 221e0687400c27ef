-- Does the seed's one skip connection (update 2) matter? The question's
-- first network against the same network with the linear Dense(784) skip
-- path, everything else equal: the seed's settings, with the gradient trick.
-- Beside them, for contrast, the digits-in-minutes recipe (lib/recipe.lua:
-- a small U-Net, its own training and sampler), so that the first run a
-- newcomer makes (`make quick`) shows what draws digits and what does not.
local ddim = require "ddim"
local nets = require "lib.seed_nets"
local recipe = require "lib.recipe"

return ddim.experiment {
  name = "skip_vs_noskip",
  train = { epochs = 3, batch_size = 64, learning_rate = 1e-3, weight_decay = 0.004,
            loss = "mae", seed = 1, dataset = "all", ema = 0 },
  diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95,
                schedule = "none", gradient_trick = true },
  sample = { grid = 8, scale = 3 },
  -- What --quick changes (`make quick`, a smoke test of about three
  -- minutes): one epoch, no guide, 500 samples scored; the seed's networks
  -- see 20,000 digits (about 10 s each), the recipe all 60,000 (938 steps,
  -- about 2 minutes), enough for it to draw digits.
  quick = { train = { epochs = 1, max_images = 20000 }, diffusion = { guide_epoch = 0, guidance = 1 },
            sample = { metric_samples = 500 } },
  seeds = { 1, 2, 3 },
  variants = {
    { name = "first", model = nets.first(), changes = "the seed's first network" },
    { name = "skip", model = nets.skip(), reference = "first", changes = "plus the linear Dense(784) skip path" },
    { name = "recipe", model = recipe.network(), train = recipe.train(), diffusion = recipe.diffusion(),
      changes = "the digits-in-minutes recipe (lib/recipe.lua), for contrast",
      quick = { train = { max_images = 60000 } } },
  },
}

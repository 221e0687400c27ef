-- Does the seed's one skip connection (update 2) matter? The question's
-- first network against the same network with the linear Dense(784) skip
-- path, everything else equal: the seed's settings, with the gradient trick.
local ddim = require "ddim"
local nets = require "lib.seed_nets"

return ddim.experiment {
  name = "skip_vs_noskip",
  train = { epochs = 3, batch_size = 64, learning_rate = 1e-3, weight_decay = 0.004,
            loss = "mae", seed = 1, dataset = "all", ema = 0 },
  diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95,
                schedule = "none", gradient_trick = true },
  sample = { grid = 8, scale = 3 },
  -- What --quick changes: a smoke run on the first 4096 images.
  quick = { train = { epochs = 1, max_images = 4096 }, sample = { metric_samples = 256 } },
  seeds = { 1, 2, 3 },
  variants = {
    { name = "first", model = nets.first(), changes = "the seed's first network" },
    { name = "skip", model = nets.skip(), reference = "first", changes = "plus the linear Dense(784) skip path" },
  },
}

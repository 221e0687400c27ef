-- The seed's question (../shared/seed/README.md), what each "extra" of a
-- diffusion model contributes, as an ablation at a budget where the full
-- configuration draws digits: the full configuration is the recipe of
-- lib/recipe.lua (digits_in_minutes.lua), the minimal one the seed's skip
-- network with its math (no schedule, no normalization, no EMA, the gradient
-- trick, MAE) and none of the recipe's additions. Both train as the recipe
-- does: 3 epochs of the first 50,000 training digits at batch 64, AdamW
-- 5e-3 with weight decay 1e-4; 50 sampling steps; 2,000 samples scored.
--
-- seed_extras(name, direction) returns the ablation.generate spec of one
-- direction, "top_down" (experiments/seed_extras.lua) or "bottom_up"
-- (seed_extras_bottom_up.lua), each an experiment of its own.
local nets = require "lib.seed_nets"
local recipe = require "lib.recipe"

-- on.X: whether extra X is on (lib/ablation.lua).
local function network(on)
  local embedding = on.sinusoidal and "sinusoidal" or nil
  if not on.unet then return nets.skip{embedding = embedding} end
  return recipe.network{embedding = embedding or "raw", skips = on.unet_skips ~= false}
end

local extras = {
  { name = "unet", what = "the recipe's U-Net (or the seed's skip network)" },
  { name = "unet_skips", what = "the U-Net's skip connections", needs = { "unet" } },
  { name = "sinusoidal", what = "the sinusoidal noise embedding (or the noise level itself)", in_full = false },
  { name = "cosine", what = "the offset cosine schedule (or the seed's none)",
    full = { diffusion = { schedule = "cosine" } }, minimal = { diffusion = { schedule = "none" } } },
  { name = "normalize", what = "dataset normalization",
    full = { train = { normalize = true } }, minimal = { train = { normalize = false } } },
  { name = "ema", what = "the EMA of the weights (0.999, warmed up)",
    full = { train = { ema = 0.999, ema_warmup = true } }, minimal = { train = { ema = 0, ema_warmup = false } } },
  { name = "no_trick", what = "plain gradients (not the seed's gradient trick)",
    full = { diffusion = { gradient_trick = false } }, minimal = { diffusion = { gradient_trick = true } } },
  { name = "mse", what = "MSE loss (or the seed's MAE)",
    full = { train = { loss = "mse" } }, minimal = { train = { loss = "mae" } } },
  { name = "velocity", what = "v prediction (or the noise)", needs = { "cosine", "no_trick" },
    full = { diffusion = { prediction = "velocity" } }, minimal = { diffusion = { prediction = "noise" } } },
  { name = "p2", what = "noise levels drawn by their P2 weight (gamma 2; or uniformly)",
    full = { train = { p2_gamma = 2, p2_sampling = true } }, minimal = { train = { p2_gamma = 0, p2_sampling = false } } },
  { name = "stochastic", what = "the stochastic sampler (eta 1; or deterministic DDIM)", needs = { "cosine" },
    full = { diffusion = { eta = 1 } }, minimal = { diffusion = { eta = 0 } } },
  { name = "guidance", what = "autoguidance by the epoch-1 weights at 1.5",
    full = { diffusion = { guide_epoch = 1, guidance = 1.5 } }, minimal = { diffusion = { guide_epoch = 0, guidance = 1 } } },
  { name = "lr_decay", what = "the cosine learning-rate decay (or a constant rate)",
    full = { train = { cosine_decay = true } }, minimal = { train = { cosine_decay = false } } },
}

return function(name, direction)
  local these = extras
  if direction == "bottom_up" then -- the U-Net comes with its skips: no variant adds them alone
    these = {}
    for _, extra in ipairs(extras) do
      if extra.name ~= "unet_skips" then these[#these + 1] = extra end
    end
  end
  return {
    name = name,
    train = { epochs = 3, max_images = 50000, batch_size = 64, learning_rate = 5e-3, weight_decay = 1e-4,
              dataset = "train" },
    diffusion = { steps = 50, min_signal_rate = 0.02, max_signal_rate = 0.95 },
    sample = { grid = 8, scale = 3 },
    -- What --quick changes: every variant end to end on 256 digits (two
    -- epochs, so that the guide's epoch 1 comes before the last).
    quick = { train = { epochs = 2, max_images = 256 }, diffusion = { steps = 5 }, sample = { metric_samples = 64 } },
    seeds = { 1, 2, 3 },
    directions = {direction},
    network = network,
    extras = these,
  }
end

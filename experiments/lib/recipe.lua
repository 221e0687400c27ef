-- The digits-in-minutes recipe (experiments/digits_in_minutes.lua) as
-- settings other experiments can start from: its network and the train and
-- diffusion fields it sets. Each call returns fresh tables, so a caller may
-- change its copy.
--
--   local recipe = require "lib.recipe"
--   { name = "recipe", model = recipe.network(), train = recipe.train(), diffusion = recipe.diffusion() }
local unet = require "lib.unet"

local recipe = {}

-- A small residual U-Net: widths 16, 32, 64 at 28, 14 and 7 pixels, one
-- residual block a level, the noise level fed as itself to every block's
-- branch (129,011 parameters, 9.8 GFLOP a training step of 64). changes:
-- unet.network options that replace the recipe's (an ablation's switches).
function recipe.network(changes)
  local options = {widths = {16, 32, 64}, block_depth = 1, embedding = "raw", noise_in_blocks = true}
  for key, value in pairs(changes or {}) do options[key] = value end
  return unet.network(options)
end

-- best_in_budget.lua's training at batch 64 and AdamW 5e-3: 3 epochs of the
-- first 50,000 training digits (2,343 steps, about 5 minutes on 2 cores).
function recipe.train()
  return { epochs = 3, max_images = 50000, batch_size = 64, learning_rate = 5e-3, weight_decay = 1e-4, loss = "mse",
           p2_gamma = 2, p2_sampling = true, cosine_decay = true, dataset = "train",
           ema = 0.999, ema_warmup = true, normalize = true }
end

-- v prediction on the offset cosine schedule; 50 stochastic sampling steps
-- (eta 1), guided by the run's own epoch-1 weights at 1.5.
function recipe.diffusion()
  return { steps = 50, eta = 1, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine",
           gradient_trick = false, prediction = "velocity", guide_epoch = 1, guidance = 1.5 }
end

return recipe

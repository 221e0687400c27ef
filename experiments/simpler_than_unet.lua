-- Is there a network simpler than the U-Net that draws recognisable digits,
-- or why is the U-Net needed? (../shared/seed/README.md.) A ladder of
-- networks, simplest first, each rung adding one thing to the one before:
-- the seed's first network, its skip network, a plain convolutional
-- encoder-decoder, the same with the U-Net's resolution-crossing skips, one
-- residual block a level (the recipe's network), the Keras example's full
-- U-Net. Every rung trains with the recipe's settings (lib/recipe.lua) for
-- the same training time, about five minutes, and samples unguided (a guide
-- needs two epochs, which the slowest rung does not have in five minutes).
--
-- Equal time, reproducibly: each rung's image count is its measured
-- training rate times the budget, fixed here, so that a rerun trains the
-- same steps on any machine; the report's "training s" says what the time
-- was. The rates are `ddim-lab bench experiments/simpler_than_unet.lua`'s
-- "images/s" of a training step on 2 cores of an AMD EPYC (Zen 3, AVX2).
local ddim = require "ddim"
local nets = require "lib.seed_nets"
local unet = require "lib.unet"
local recipe = require "lib.recipe"

local BUDGET_SECONDS = 300
local TRAINING_DIGITS = 60000

-- The recipe's training for about BUDGET_SECONDS at images_per_second:
-- whole epochs of at most the 60,000 training digits, in whole batches.
local function train_for_budget(images_per_second)
  local train = recipe.train()
  local images = images_per_second * BUDGET_SECONDS
  train.epochs = math.ceil(images / TRAINING_DIGITS)
  train.max_images = math.floor(images / train.epochs / train.batch_size) * train.batch_size
  return train
end

local diffusion = recipe.diffusion()
diffusion.guide_epoch = 0
diffusion.guidance = 1

-- The recipe's widths and noise-level inputs, without the parts a rung adds.
local function conv_net(options)
  return unet.network{widths = {16, 32, 64}, block_depth = 1, embedding = "raw", noise_in_blocks = true,
                      batch_norm = false, residual = false, skips = options.skips}
end

local function rung(name, reference, changes, images_per_second, model)
  return { name = name, reference = reference, changes = changes, model = model,
           train = train_for_budget(images_per_second) }
end

return ddim.experiment {
  name = "simpler_than_unet",
  diffusion = diffusion,
  sample = { grid = 8, scale = 3 },
  quick = { train = { epochs = 1, max_images = 256 }, diffusion = { steps = 5 }, sample = { metric_samples = 64 } },
  seeds = { 1, 2, 3 },
  variants = {
    rung("seed_first", nil, "the seed's first network", 1982, nets.first()),
    rung("seed_skip", "seed_first", "a skip connection (the seed's update 2)", 1672, nets.skip()),
    rung("conv_net", "seed_skip", "convolutions at 28, 14 and 7 pixels, no skips", 629, conv_net{skips = false}),
    rung("conv_net_skips", "conv_net", "the U-Net's skips across resolutions", 621, conv_net{skips = true}),
    rung("unet_one_block", "conv_net_skips", "residual blocks with batch norm (the recipe's network)", 541,
         recipe.network()),
    rung("unet_full", "unet_one_block", "the Keras example's full U-Net", 87, unet.network()),
  },
}

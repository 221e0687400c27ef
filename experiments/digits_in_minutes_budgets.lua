-- The digits-in-minutes recipe (lib/recipe.lua) at other training budgets:
-- what half the time, twice and six times it buy. Only the images trained
-- on change (the learning rate still decays to 0 over the run; the guide is
-- still the epoch-1 weights); the 5-minute recipe itself is
-- digits_in_minutes.lua. The minutes are at its rate on 2 cores of a Zen 3
-- (about 510 images a second of training); its results are to go in
-- docs/digits_in_minutes.md.
local ddim = require "ddim"
local recipe = require "lib.recipe"

-- The recipe's training over epochs x images.
local function budget(epochs, images)
  local train = recipe.train()
  train.epochs, train.max_images = epochs, images
  return train
end

return ddim.experiment {
  name = "digits_in_minutes_budgets",
  train = recipe.train(),
  diffusion = recipe.diffusion(),
  sample = { grid = 8, scale = 3 },
  -- What --quick changes: a smoke run of seconds on the first 512 digits.
  quick = { train = { epochs = 2, max_images = 512 }, diffusion = { steps = 5 }, sample = { metric_samples = 64 } },
  seeds = { 1 },
  variants = {
    { name = "minutes_2_5", model = recipe.network(), train = budget(3, 25000),
      changes = "half the recipe's images: 3 epochs of 25,000" },
    { name = "minutes_10", model = recipe.network(), train = budget(6, 50000),
      changes = "twice the recipe's images: 6 epochs of 50,000" },
    { name = "minutes_30", model = recipe.network(), train = budget(15, 60000),
      changes = "six times the recipe's images: 15 epochs of 60,000" },
  },
}

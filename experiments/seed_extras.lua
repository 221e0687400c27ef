-- The seed's whole question (../shared/seed/README.md): what does each
-- "extra" of a diffusion model contribute on MNIST? Top-down from the
-- digits-in-minutes recipe (lib/seed_extras.lua says both ends): the full
-- configuration, then each extra turned to the seed's value in turn, 3
-- seeds each. seed_extras_bottom_up.lua goes the other way.
local ddim = require "ddim"
local ablation = require "lib.ablation"
local seed_extras = require "lib.seed_extras"

return ddim.experiment(ablation.generate(seed_extras("seed_extras", "top_down")))

-- seed_extras.lua's question bottom-up, as the seed's author worked: the
-- seed's minimal configuration (its skip network and math), then each extra
-- of the recipe added alone, 3 seeds each (lib/seed_extras.lua says both
-- ends). The U-Net comes with its skip connections.
local ddim = require "ddim"
local ablation = require "lib.ablation"
local seed_extras = require "lib.seed_extras"

return ddim.experiment(ablation.generate(seed_extras("seed_extras_bottom_up", "bottom_up")))

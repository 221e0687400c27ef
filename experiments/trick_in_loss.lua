-- Beyond the seed: its commented-out line, total_loss = noise_loss +
-- image_loss, with the gradient trick inside the image loss, trained through
-- the second derivative the runtime's symbolic autograd provides; against
-- the seed's noise loss alone. The seed's skip network and diffusion.
local ddim = require "ddim"
local nets = require "lib.seed_nets"

return ddim.experiment {
  name = "trick_in_loss",
  train = { epochs = 1, batch_size = 64, learning_rate = 1e-3, weight_decay = 0.004, dataset = "all" },
  diffusion = { steps = 20, schedule = "none", gradient_trick = true },
  quick = { train = { max_images = 512 }, diffusion = { steps = 10 } },
  variants = {
    { name = "noise_loss", model = nets.skip() },
    { name = "noise_plus_image_loss", model = nets.skip(), train = { image_loss = true } },
  },
}

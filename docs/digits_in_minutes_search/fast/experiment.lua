local ddim = require "ddim"
local unet = require "lib.unet"
return ddim.experiment {
  name = "fast",
  train = { epochs = 3, batch_size = 32, learning_rate = 3e-3, weight_decay = 1e-4,
            loss = "mse", p2_gamma = 2, p2_sampling = true, cosine_decay = true, dataset = "train", ema = 0.999, ema_warmup = true, normalize = true },
  diffusion = { steps = 50, eta = 1, min_signal_rate = 0.02, max_signal_rate = 0.95,
                schedule = "cosine", gradient_trick = false, prediction = "velocity", guide_epoch = 1, guidance = 1.5 },
  variants = {
    { name = "u16d1", model = unet.network{widths = {16, 32, 64}, block_depth = 1, embedding = "raw", noise_in_blocks = true} },
    { name = "u24d1", model = unet.network{widths = {24, 48, 96}, block_depth = 1, embedding = "raw", noise_in_blocks = true} },
    { name = "u32d1", model = unet.network{widths = {32, 64, 96}, block_depth = 1, embedding = "raw", noise_in_blocks = true} },
    { name = "u32d2", model = unet.network{widths = {32, 64, 96}, block_depth = 2, embedding = "raw", noise_in_blocks = true} },
    { name = "u16d2", model = unet.network{widths = {16, 32, 64}, block_depth = 2, embedding = "raw", noise_in_blocks = true} },
  },
}

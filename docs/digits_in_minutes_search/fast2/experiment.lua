local ddim = require "ddim"
local unet = require "lib.unet"
local function u(w, d) return unet.network{widths = w, block_depth = d, embedding = "raw", noise_in_blocks = true} end
return ddim.experiment {
  name = "fast2",
  train = { epochs = 3, batch_size = 32, learning_rate = 3e-3, weight_decay = 1e-4, max_images = 50000,
            loss = "mse", p2_gamma = 2, p2_sampling = true, cosine_decay = true, dataset = "train", ema = 0.999, ema_warmup = true, normalize = true },
  diffusion = { steps = 50, eta = 1, min_signal_rate = 0.02, max_signal_rate = 0.95,
                schedule = "cosine", gradient_trick = false, prediction = "velocity", guide_epoch = 1, guidance = 1.5 },
  sample = { metric_samples = 500 },
  variants = {
    { name = "u24d1", model = u({24, 48, 96}, 1), train = { epochs = 2, max_images = 42000 } },
    { name = "u16d1_b64", model = u({16, 32, 64}, 1), train = { batch_size = 64, learning_rate = 5e-3 } },
    { name = "u16d1_uniform", model = u({16, 32, 64}, 1), train = { p2_gamma = 0, p2_sampling = false } },
    { name = "u16d2", model = u({16, 32, 64}, 2), train = { epochs = 2, max_images = 36000 } },
  },
}

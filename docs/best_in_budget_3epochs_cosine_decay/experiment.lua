local ddim = require "ddim"
local unet = require "lib.unet"
local function net(o)
  local opts = {widths = {32, 64, 96}, block_depth = 1, embedding = "raw"}
  for k, v in pairs(o) do opts[k] = v end
  return unet.network(opts)
end
return ddim.experiment {
  name = "proxy2",
  train = { epochs = 3, batch_size = 64, learning_rate = 3e-3, weight_decay = 1e-4,
            loss = "mae", seed = 1, dataset = "train", ema = 0.999, ema_warmup = true, normalize = true, cosine_decay = true },
  diffusion = { steps = 100, eta = 1, min_signal_rate = 0.02, max_signal_rate = 0.95,
                schedule = "cosine", gradient_trick = false },
  sample = { grid = 8, scale = 3, metric_samples = 500 },
  variants = {
    { name = "noise_blocks_cosine_decay", model = net{noise_in_blocks = true} },
  },
}

-- /tmp/explore/fast.lua, resolved by ddim-lab 0.1.0: every setting of every variant as the run used it.
-- Options: --variant u16d1
-- An experiment file: `ddim-lab <this file>`, from the directory the run started in, trains the same
-- again (its settings are these; ddim.model_of rebuilds each network from its file).
local ddim = require "ddim"

return ddim.experiment {
  name = "fast",
  variants = {
    {
      name = "u16d1",
      model = ddim.model_of("/tmp/explore/fast.lua", "u16d1"),
      train = { epochs = 3, batch_size = 32, learning_rate = 0.003, weight_decay = 0.0001, loss = "mse", seed = 1, dataset = "train", ema = 0.999, max_images = 0, normalize = true, ema_warmup = true, image_loss = false, cosine_decay = true, p2_gamma = 2, p2_sampling = true, checkpoint_every = 500, max_weight = 10000 },
      diffusion = { steps = 50, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine", gradient_trick = false, eta = 1, clip_denoised = false, prediction = "velocity", guidance = 1.5, guide_epoch = 1 },
      sample = { grid = 8, scale = 3, metric_samples = 2000 },
      -- model made at experiments/lib/unet.lua:96: 129011 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/unet.lua:48
      -- input 't'                        1x1x1              0  experiments/lib/unet.lua:49
      -- upsample_nearest(28x28)          28x28x1            0  experiments/lib/unet.lua:54
      -- conv2d(16, 1x1, linear)          28x28x16          32  experiments/lib/unet.lua:55
      -- concat                           28x28x17           0  experiments/lib/unet.lua:56
      -- upsample_nearest(28x28)          28x28x1            0  experiments/lib/unet.lua:64
      -- upsample_nearest(14x14)          14x14x1            0  experiments/lib/unet.lua:64
      -- upsample_nearest(7x7)            7x7x1              0  experiments/lib/unet.lua:64
      -- conv2d(16, 1x1, linear)          28x28x16         288  experiments/lib/unet.lua:17
      -- batch_norm(0.99, 0.001)          28x28x17          34  experiments/lib/unet.lua:19
      -- concat                           28x28x18           0  experiments/lib/unet.lua:20
      -- conv2d(16, 3x3, swish)           28x28x16        2608  experiments/lib/unet.lua:21
      -- conv2d(16, 3x3, linear)          28x28x16        2320  experiments/lib/unet.lua:22
      -- add                              28x28x16           0  experiments/lib/unet.lua:23
      -- avg_pool2                        14x14x16           0  experiments/lib/unet.lua:76
      -- conv2d(32, 1x1, linear)          14x14x32         544  experiments/lib/unet.lua:17
      -- batch_norm(0.99, 0.001)          14x14x16          32  experiments/lib/unet.lua:19
      -- concat                           14x14x17           0  experiments/lib/unet.lua:20
      -- conv2d(32, 3x3, swish)           14x14x32        4928  experiments/lib/unet.lua:21
      -- conv2d(32, 3x3, linear)          14x14x32        9248  experiments/lib/unet.lua:22
      -- add                              14x14x32           0  experiments/lib/unet.lua:23
      -- avg_pool2                        7x7x32             0  experiments/lib/unet.lua:76
      -- conv2d(64, 1x1, linear)          7x7x64          2112  experiments/lib/unet.lua:17
      -- batch_norm(0.99, 0.001)          7x7x32            64  experiments/lib/unet.lua:19
      -- concat                           7x7x33             0  experiments/lib/unet.lua:20
      -- conv2d(64, 3x3, swish)           7x7x64         19072  experiments/lib/unet.lua:21
      -- conv2d(64, 3x3, linear)          7x7x64         36928  experiments/lib/unet.lua:22
      -- add                              7x7x64             0  experiments/lib/unet.lua:23
      -- upsample2 (bilinear)             14x14x64           0  experiments/lib/unet.lua:83
      -- concat                           14x14x96           0  experiments/lib/unet.lua:87
      -- conv2d(32, 1x1, linear)          14x14x32        3104  experiments/lib/unet.lua:17
      -- batch_norm(0.99, 0.001)          14x14x96         192  experiments/lib/unet.lua:19
      -- concat                           14x14x97           0  experiments/lib/unet.lua:20
      -- conv2d(32, 3x3, swish)           14x14x32       27968  experiments/lib/unet.lua:21
      -- conv2d(32, 3x3, linear)          14x14x32        9248  experiments/lib/unet.lua:22
      -- add                              14x14x32           0  experiments/lib/unet.lua:23
      -- upsample2 (bilinear)             28x28x32           0  experiments/lib/unet.lua:83
      -- concat                           28x28x48           0  experiments/lib/unet.lua:87
      -- conv2d(16, 1x1, linear)          28x28x16         784  experiments/lib/unet.lua:17
      -- batch_norm(0.99, 0.001)          28x28x48          96  experiments/lib/unet.lua:19
      -- concat                           28x28x49           0  experiments/lib/unet.lua:20
      -- conv2d(16, 3x3, swish)           28x28x16        7072  experiments/lib/unet.lua:21
      -- conv2d(16, 3x3, linear)          28x28x16        2320  experiments/lib/unet.lua:22
      -- add                              28x28x16           0  experiments/lib/unet.lua:23
      -- conv2d(1, 1x1, linear, zeros)    28x28x1           17  experiments/lib/unet.lua:95
    },
  },
}

-- experiments/best_in_budget.lua, resolved by ddim-lab 0.1.0: every setting of every variant as the run used it.
-- Options: --seeds 3 diffusion.prediction=velocity
return {
  name = "best_in_budget",
  -- every variant trains once per seed, its train.seed set to it
  seeds = { 3 },
  variants = {
    {
      name = "unet",
      train = { epochs = 6, batch_size = 32, learning_rate = 0.003, weight_decay = 0.0001, loss = "mse", seed = 1, dataset = "train", ema = 0.999, max_images = 0, normalize = true, ema_warmup = true, image_loss = false, cosine_decay = true, p2_gamma = 2, p2_sampling = true },
      diffusion = { steps = 100, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine", gradient_trick = false, eta = 1, clip_denoised = false, prediction = "velocity" },
      sample = { grid = 8, scale = 3, metric_samples = 2000 },
      -- model made at experiments/lib/unet.lua:96: 815587 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/unet.lua:48
      -- input 't'                        1x1x1              0  experiments/lib/unet.lua:49
      -- upsample_nearest(28x28)          28x28x1            0  experiments/lib/unet.lua:54
      -- conv2d(32, 1x1, linear)          28x28x32          64  experiments/lib/unet.lua:55
      -- concat                           28x28x33           0  experiments/lib/unet.lua:56
      -- upsample_nearest(28x28)          28x28x1            0  experiments/lib/unet.lua:64
      -- upsample_nearest(14x14)          14x14x1            0  experiments/lib/unet.lua:64
      -- upsample_nearest(7x7)            7x7x1              0  experiments/lib/unet.lua:64
      -- conv2d(32, 1x1, linear)          28x28x32        1088  experiments/lib/unet.lua:17
      -- batch_norm(0.99, 0.001)          28x28x33          66  experiments/lib/unet.lua:19
      -- concat                           28x28x34           0  experiments/lib/unet.lua:20
      -- conv2d(32, 3x3, swish)           28x28x32        9824  experiments/lib/unet.lua:21
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:22
      -- add                              28x28x32           0  experiments/lib/unet.lua:23
      -- batch_norm(0.99, 0.001)          28x28x32          64  experiments/lib/unet.lua:19
      -- concat                           28x28x33           0  experiments/lib/unet.lua:20
      -- conv2d(32, 3x3, swish)           28x28x32        9536  experiments/lib/unet.lua:21
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:22
      -- add                              28x28x32           0  experiments/lib/unet.lua:23
      -- avg_pool2                        14x14x32           0  experiments/lib/unet.lua:76
      -- conv2d(64, 1x1, linear)          14x14x64        2112  experiments/lib/unet.lua:17
      -- batch_norm(0.99, 0.001)          14x14x32          64  experiments/lib/unet.lua:19
      -- concat                           14x14x33           0  experiments/lib/unet.lua:20
      -- conv2d(64, 3x3, swish)           14x14x64       19072  experiments/lib/unet.lua:21
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:22
      -- add                              14x14x64           0  experiments/lib/unet.lua:23
      -- batch_norm(0.99, 0.001)          14x14x64         128  experiments/lib/unet.lua:19
      -- concat                           14x14x65           0  experiments/lib/unet.lua:20
      -- conv2d(64, 3x3, swish)           14x14x64       37504  experiments/lib/unet.lua:21
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:22
      -- add                              14x14x64           0  experiments/lib/unet.lua:23
      -- avg_pool2                        7x7x64             0  experiments/lib/unet.lua:76
      -- conv2d(96, 1x1, linear)          7x7x96          6240  experiments/lib/unet.lua:17
      -- batch_norm(0.99, 0.001)          7x7x64           128  experiments/lib/unet.lua:19
      -- concat                           7x7x65             0  experiments/lib/unet.lua:20
      -- conv2d(96, 3x3, swish)           7x7x96         56256  experiments/lib/unet.lua:21
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:22
      -- add                              7x7x96             0  experiments/lib/unet.lua:23
      -- batch_norm(0.99, 0.001)          7x7x96           192  experiments/lib/unet.lua:19
      -- concat                           7x7x97             0  experiments/lib/unet.lua:20
      -- conv2d(96, 3x3, swish)           7x7x96         83904  experiments/lib/unet.lua:21
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:22
      -- add                              7x7x96             0  experiments/lib/unet.lua:23
      -- upsample2 (bilinear)             14x14x96           0  experiments/lib/unet.lua:83
      -- concat                           14x14x160          0  experiments/lib/unet.lua:87
      -- conv2d(64, 1x1, linear)          14x14x64       10304  experiments/lib/unet.lua:17
      -- batch_norm(0.99, 0.001)          14x14x160        320  experiments/lib/unet.lua:19
      -- concat                           14x14x161          0  experiments/lib/unet.lua:20
      -- conv2d(64, 3x3, swish)           14x14x64       92800  experiments/lib/unet.lua:21
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:22
      -- add                              14x14x64           0  experiments/lib/unet.lua:23
      -- concat                           14x14x128          0  experiments/lib/unet.lua:87
      -- conv2d(64, 1x1, linear)          14x14x64        8256  experiments/lib/unet.lua:17
      -- batch_norm(0.99, 0.001)          14x14x128        256  experiments/lib/unet.lua:19
      -- concat                           14x14x129          0  experiments/lib/unet.lua:20
      -- conv2d(64, 3x3, swish)           14x14x64       74368  experiments/lib/unet.lua:21
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:22
      -- add                              14x14x64           0  experiments/lib/unet.lua:23
      -- upsample2 (bilinear)             28x28x64           0  experiments/lib/unet.lua:83
      -- concat                           28x28x96           0  experiments/lib/unet.lua:87
      -- conv2d(32, 1x1, linear)          28x28x32        3104  experiments/lib/unet.lua:17
      -- batch_norm(0.99, 0.001)          28x28x96         192  experiments/lib/unet.lua:19
      -- concat                           28x28x97           0  experiments/lib/unet.lua:20
      -- conv2d(32, 3x3, swish)           28x28x32       27968  experiments/lib/unet.lua:21
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:22
      -- add                              28x28x32           0  experiments/lib/unet.lua:23
      -- concat                           28x28x64           0  experiments/lib/unet.lua:87
      -- conv2d(32, 1x1, linear)          28x28x32        2080  experiments/lib/unet.lua:17
      -- batch_norm(0.99, 0.001)          28x28x64         128  experiments/lib/unet.lua:19
      -- concat                           28x28x65           0  experiments/lib/unet.lua:20
      -- conv2d(32, 3x3, swish)           28x28x32       18752  experiments/lib/unet.lua:21
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:22
      -- add                              28x28x32           0  experiments/lib/unet.lua:23
      -- conv2d(1, 1x1, linear, zeros)    28x28x1           33  experiments/lib/unet.lua:95
    },
  },
}

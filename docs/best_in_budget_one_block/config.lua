-- /tmp/bib/experiments/best_in_budget_raw.lua, resolved by ddim-lab 0.1.0: every setting of every variant as the run used it.
-- Options: none
return {
  name = "best_in_budget_raw",
  variants = {
    {
      name = "unet",
      train = { epochs = 10, batch_size = 64, learning_rate = 0.003, weight_decay = 0.0001, loss = "mae", seed = 1, dataset = "train", ema = 0.999, max_images = 0, normalize = true, ema_warmup = true, image_loss = false },
      diffusion = { steps = 100, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine", gradient_trick = false, eta = 1 },
      sample = { grid = 8, scale = 3, metric_samples = 2000 },
      -- model made at /tmp/bib/experiments/lib/unet.lua:77: 402435 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  /tmp/bib/experiments/lib/unet.lua:39
      -- input 't'                        1x1x1              0  /tmp/bib/experiments/lib/unet.lua:40
      -- upsample_nearest(28x28)          28x28x1            0  /tmp/bib/experiments/lib/unet.lua:45
      -- conv2d(32, 1x1, linear)          28x28x32          64  /tmp/bib/experiments/lib/unet.lua:46
      -- concat                           28x28x33           0  /tmp/bib/experiments/lib/unet.lua:47
      -- conv2d(32, 1x1, linear)          28x28x32        1088  /tmp/bib/experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x33          66  /tmp/bib/experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32        9536  /tmp/bib/experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  /tmp/bib/experiments/lib/unet.lua:18
      -- add                              28x28x32           0  /tmp/bib/experiments/lib/unet.lua:19
      -- avg_pool2                        14x14x32           0  /tmp/bib/experiments/lib/unet.lua:57
      -- conv2d(64, 1x1, linear)          14x14x64        2112  /tmp/bib/experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x32          64  /tmp/bib/experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       18496  /tmp/bib/experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  /tmp/bib/experiments/lib/unet.lua:18
      -- add                              14x14x64           0  /tmp/bib/experiments/lib/unet.lua:19
      -- avg_pool2                        7x7x64             0  /tmp/bib/experiments/lib/unet.lua:57
      -- conv2d(96, 1x1, linear)          7x7x96          6240  /tmp/bib/experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          7x7x64           128  /tmp/bib/experiments/lib/unet.lua:16
      -- conv2d(96, 3x3, swish)           7x7x96         55392  /tmp/bib/experiments/lib/unet.lua:17
      -- conv2d(96, 3x3, linear)          7x7x96         83040  /tmp/bib/experiments/lib/unet.lua:18
      -- add                              7x7x96             0  /tmp/bib/experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             14x14x96           0  /tmp/bib/experiments/lib/unet.lua:64
      -- concat                           14x14x160          0  /tmp/bib/experiments/lib/unet.lua:68
      -- conv2d(64, 1x1, linear)          14x14x64       10304  /tmp/bib/experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x160        320  /tmp/bib/experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       92224  /tmp/bib/experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  /tmp/bib/experiments/lib/unet.lua:18
      -- add                              14x14x64           0  /tmp/bib/experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             28x28x64           0  /tmp/bib/experiments/lib/unet.lua:64
      -- concat                           28x28x96           0  /tmp/bib/experiments/lib/unet.lua:68
      -- conv2d(32, 1x1, linear)          28x28x32        3104  /tmp/bib/experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x96         192  /tmp/bib/experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       27680  /tmp/bib/experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  /tmp/bib/experiments/lib/unet.lua:18
      -- add                              28x28x32           0  /tmp/bib/experiments/lib/unet.lua:19
      -- conv2d(1, 1x1, linear, zeros)    28x28x1           33  /tmp/bib/experiments/lib/unet.lua:76
    },
  },
}

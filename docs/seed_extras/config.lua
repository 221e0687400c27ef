-- experiments/seed_extras.lua, resolved by ddim-lab 0.1.0: every setting of every variant as the run used it.
-- Options: none
return {
  name = "seed_extras",
  -- every variant trains once per seed, its train.seed set to it
  seeds = { 1, 2, 3 },
  variants = {
    {
      name = "full",
      changes = "every extra on",
      train = { epochs = 1, batch_size = 64, learning_rate = 0.001, weight_decay = 0.0001, loss = "mae", seed = 1, dataset = "train", ema = 0.999, max_images = 12800, normalize = true, ema_warmup = true, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine", gradient_trick = false },
      sample = { grid = 8, scale = 3, metric_samples = 500 },
      -- model made at experiments/lib/unet.lua:77: 820385 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/unet.lua:39
      -- input 't'                        1x1x1              0  experiments/lib/unet.lua:40
      -- sinusoidal_embedding(32, 1..1000) 1x1x32             0  experiments/lib/unet.lua:43
      -- upsample_nearest(28x28)          28x28x32           0  experiments/lib/unet.lua:45
      -- conv2d(32, 1x1, linear)          28x28x32          64  experiments/lib/unet.lua:46
      -- concat                           28x28x64           0  experiments/lib/unet.lua:47
      -- conv2d(32, 1x1, linear)          28x28x32        2080  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x64         128  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       18464  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          28x28x32          64  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32        9248  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- avg_pool2                        14x14x32           0  experiments/lib/unet.lua:57
      -- conv2d(64, 1x1, linear)          14x14x64        2112  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x32          64  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       18496  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          14x14x64         128  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       36928  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- avg_pool2                        7x7x64             0  experiments/lib/unet.lua:57
      -- conv2d(96, 1x1, linear)          7x7x96          6240  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          7x7x64           128  experiments/lib/unet.lua:16
      -- conv2d(96, 3x3, swish)           7x7x96         55392  experiments/lib/unet.lua:17
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:18
      -- add                              7x7x96             0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          7x7x96           192  experiments/lib/unet.lua:16
      -- conv2d(96, 3x3, swish)           7x7x96         83040  experiments/lib/unet.lua:17
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:18
      -- add                              7x7x96             0  experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             14x14x96           0  experiments/lib/unet.lua:64
      -- concat                           14x14x160          0  experiments/lib/unet.lua:68
      -- conv2d(64, 1x1, linear)          14x14x64       10304  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x160        320  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       92224  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- concat                           14x14x128          0  experiments/lib/unet.lua:68
      -- conv2d(64, 1x1, linear)          14x14x64        8256  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x128        256  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       73792  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             28x28x64           0  experiments/lib/unet.lua:64
      -- concat                           28x28x96           0  experiments/lib/unet.lua:68
      -- conv2d(32, 1x1, linear)          28x28x32        3104  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x96         192  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       27680  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- concat                           28x28x64           0  experiments/lib/unet.lua:68
      -- conv2d(32, 1x1, linear)          28x28x32        2080  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x64         128  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       18464  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- conv2d(1, 1x1, linear, zeros)    28x28x1           33  experiments/lib/unet.lua:76
    },
    {
      name = "full_without_unet",
      reference = "full",
      changes = "without the residual U-Net (or the seed's first network)",
      train = { epochs = 1, batch_size = 64, learning_rate = 0.001, weight_decay = 0.0001, loss = "mae", seed = 1, dataset = "train", ema = 0.999, max_images = 12800, normalize = true, ema_warmup = true, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine", gradient_trick = false },
      sample = { grid = 8, scale = 3, metric_samples = 500 },
      -- model made at experiments/lib/seed_nets.lua:35: 2543313 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/seed_nets.lua:27
      -- input 't'                        1x1x1              0  experiments/lib/seed_nets.lua:28
      -- sinusoidal_embedding(32, 1..1000) 1x1x32             0  experiments/lib/seed_nets.lua:19
      -- flatten                          32                 0  experiments/lib/seed_nets.lua:20
      -- dense(784, linear)               784            25872  experiments/lib/seed_nets.lua:20
      -- reshape(28x28x1)                 28x28x1            0  experiments/lib/seed_nets.lua:20
      -- add                              28x28x1            0  experiments/lib/seed_nets.lua:20
      -- flatten                          784                0  experiments/lib/seed_nets.lua:20
      -- dense(3136, relu)                3136         2461760  experiments/lib/seed_nets.lua:30
      -- reshape(7x7x64)                  7x7x64             0  experiments/lib/seed_nets.lua:31
      -- conv_transpose2d(64, s2, relu)   14x14x64       36928  experiments/lib/seed_nets.lua:32
      -- conv_transpose2d(32, s2, relu)   28x28x32       18464  experiments/lib/seed_nets.lua:33
      -- conv_transpose2d(1, s1, sigmoid) 28x28x1          289  experiments/lib/seed_nets.lua:34
    },
    {
      name = "full_without_sinusoidal",
      reference = "full",
      changes = "without the sinusoidal noise embedding (or the noise level itself)",
      train = { epochs = 1, batch_size = 64, learning_rate = 0.001, weight_decay = 0.0001, loss = "mae", seed = 1, dataset = "train", ema = 0.999, max_images = 12800, normalize = true, ema_warmup = true, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine", gradient_trick = false },
      sample = { grid = 8, scale = 3, metric_samples = 500 },
      -- model made at experiments/lib/unet.lua:77: 810403 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/unet.lua:39
      -- input 't'                        1x1x1              0  experiments/lib/unet.lua:40
      -- upsample_nearest(28x28)          28x28x1            0  experiments/lib/unet.lua:45
      -- conv2d(32, 1x1, linear)          28x28x32          64  experiments/lib/unet.lua:46
      -- concat                           28x28x33           0  experiments/lib/unet.lua:47
      -- conv2d(32, 1x1, linear)          28x28x32        1088  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x33          66  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32        9536  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          28x28x32          64  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32        9248  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- avg_pool2                        14x14x32           0  experiments/lib/unet.lua:57
      -- conv2d(64, 1x1, linear)          14x14x64        2112  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x32          64  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       18496  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          14x14x64         128  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       36928  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- avg_pool2                        7x7x64             0  experiments/lib/unet.lua:57
      -- conv2d(96, 1x1, linear)          7x7x96          6240  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          7x7x64           128  experiments/lib/unet.lua:16
      -- conv2d(96, 3x3, swish)           7x7x96         55392  experiments/lib/unet.lua:17
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:18
      -- add                              7x7x96             0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          7x7x96           192  experiments/lib/unet.lua:16
      -- conv2d(96, 3x3, swish)           7x7x96         83040  experiments/lib/unet.lua:17
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:18
      -- add                              7x7x96             0  experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             14x14x96           0  experiments/lib/unet.lua:64
      -- concat                           14x14x160          0  experiments/lib/unet.lua:68
      -- conv2d(64, 1x1, linear)          14x14x64       10304  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x160        320  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       92224  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- concat                           14x14x128          0  experiments/lib/unet.lua:68
      -- conv2d(64, 1x1, linear)          14x14x64        8256  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x128        256  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       73792  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             28x28x64           0  experiments/lib/unet.lua:64
      -- concat                           28x28x96           0  experiments/lib/unet.lua:68
      -- conv2d(32, 1x1, linear)          28x28x32        3104  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x96         192  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       27680  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- concat                           28x28x64           0  experiments/lib/unet.lua:68
      -- conv2d(32, 1x1, linear)          28x28x32        2080  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x64         128  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       18464  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- conv2d(1, 1x1, linear, zeros)    28x28x1           33  experiments/lib/unet.lua:76
    },
    {
      name = "full_without_cosine",
      reference = "full",
      changes = "without the offset cosine schedule (or the seed's none)",
      train = { epochs = 1, batch_size = 64, learning_rate = 0.001, weight_decay = 0.0001, loss = "mae", seed = 1, dataset = "train", ema = 0.999, max_images = 12800, normalize = true, ema_warmup = true, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "none", gradient_trick = false },
      sample = { grid = 8, scale = 3, metric_samples = 500 },
      -- model made at experiments/lib/unet.lua:77: 820385 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/unet.lua:39
      -- input 't'                        1x1x1              0  experiments/lib/unet.lua:40
      -- sinusoidal_embedding(32, 1..1000) 1x1x32             0  experiments/lib/unet.lua:43
      -- upsample_nearest(28x28)          28x28x32           0  experiments/lib/unet.lua:45
      -- conv2d(32, 1x1, linear)          28x28x32          64  experiments/lib/unet.lua:46
      -- concat                           28x28x64           0  experiments/lib/unet.lua:47
      -- conv2d(32, 1x1, linear)          28x28x32        2080  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x64         128  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       18464  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          28x28x32          64  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32        9248  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- avg_pool2                        14x14x32           0  experiments/lib/unet.lua:57
      -- conv2d(64, 1x1, linear)          14x14x64        2112  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x32          64  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       18496  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          14x14x64         128  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       36928  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- avg_pool2                        7x7x64             0  experiments/lib/unet.lua:57
      -- conv2d(96, 1x1, linear)          7x7x96          6240  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          7x7x64           128  experiments/lib/unet.lua:16
      -- conv2d(96, 3x3, swish)           7x7x96         55392  experiments/lib/unet.lua:17
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:18
      -- add                              7x7x96             0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          7x7x96           192  experiments/lib/unet.lua:16
      -- conv2d(96, 3x3, swish)           7x7x96         83040  experiments/lib/unet.lua:17
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:18
      -- add                              7x7x96             0  experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             14x14x96           0  experiments/lib/unet.lua:64
      -- concat                           14x14x160          0  experiments/lib/unet.lua:68
      -- conv2d(64, 1x1, linear)          14x14x64       10304  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x160        320  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       92224  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- concat                           14x14x128          0  experiments/lib/unet.lua:68
      -- conv2d(64, 1x1, linear)          14x14x64        8256  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x128        256  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       73792  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             28x28x64           0  experiments/lib/unet.lua:64
      -- concat                           28x28x96           0  experiments/lib/unet.lua:68
      -- conv2d(32, 1x1, linear)          28x28x32        3104  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x96         192  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       27680  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- concat                           28x28x64           0  experiments/lib/unet.lua:68
      -- conv2d(32, 1x1, linear)          28x28x32        2080  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x64         128  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       18464  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- conv2d(1, 1x1, linear, zeros)    28x28x1           33  experiments/lib/unet.lua:76
    },
    {
      name = "full_without_normalize",
      reference = "full",
      changes = "without dataset normalization",
      train = { epochs = 1, batch_size = 64, learning_rate = 0.001, weight_decay = 0.0001, loss = "mae", seed = 1, dataset = "train", ema = 0.999, max_images = 12800, normalize = false, ema_warmup = true, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine", gradient_trick = false },
      sample = { grid = 8, scale = 3, metric_samples = 500 },
      -- model made at experiments/lib/unet.lua:77: 820385 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/unet.lua:39
      -- input 't'                        1x1x1              0  experiments/lib/unet.lua:40
      -- sinusoidal_embedding(32, 1..1000) 1x1x32             0  experiments/lib/unet.lua:43
      -- upsample_nearest(28x28)          28x28x32           0  experiments/lib/unet.lua:45
      -- conv2d(32, 1x1, linear)          28x28x32          64  experiments/lib/unet.lua:46
      -- concat                           28x28x64           0  experiments/lib/unet.lua:47
      -- conv2d(32, 1x1, linear)          28x28x32        2080  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x64         128  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       18464  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          28x28x32          64  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32        9248  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- avg_pool2                        14x14x32           0  experiments/lib/unet.lua:57
      -- conv2d(64, 1x1, linear)          14x14x64        2112  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x32          64  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       18496  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          14x14x64         128  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       36928  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- avg_pool2                        7x7x64             0  experiments/lib/unet.lua:57
      -- conv2d(96, 1x1, linear)          7x7x96          6240  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          7x7x64           128  experiments/lib/unet.lua:16
      -- conv2d(96, 3x3, swish)           7x7x96         55392  experiments/lib/unet.lua:17
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:18
      -- add                              7x7x96             0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          7x7x96           192  experiments/lib/unet.lua:16
      -- conv2d(96, 3x3, swish)           7x7x96         83040  experiments/lib/unet.lua:17
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:18
      -- add                              7x7x96             0  experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             14x14x96           0  experiments/lib/unet.lua:64
      -- concat                           14x14x160          0  experiments/lib/unet.lua:68
      -- conv2d(64, 1x1, linear)          14x14x64       10304  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x160        320  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       92224  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- concat                           14x14x128          0  experiments/lib/unet.lua:68
      -- conv2d(64, 1x1, linear)          14x14x64        8256  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x128        256  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       73792  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             28x28x64           0  experiments/lib/unet.lua:64
      -- concat                           28x28x96           0  experiments/lib/unet.lua:68
      -- conv2d(32, 1x1, linear)          28x28x32        3104  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x96         192  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       27680  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- concat                           28x28x64           0  experiments/lib/unet.lua:68
      -- conv2d(32, 1x1, linear)          28x28x32        2080  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x64         128  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       18464  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- conv2d(1, 1x1, linear, zeros)    28x28x1           33  experiments/lib/unet.lua:76
    },
    {
      name = "full_without_ema",
      reference = "full",
      changes = "without the EMA of the weights (0.999, warmed up)",
      train = { epochs = 1, batch_size = 64, learning_rate = 0.001, weight_decay = 0.0001, loss = "mae", seed = 1, dataset = "train", ema = 0, max_images = 12800, normalize = true, ema_warmup = false, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine", gradient_trick = false },
      sample = { grid = 8, scale = 3, metric_samples = 500 },
      -- model made at experiments/lib/unet.lua:77: 820385 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/unet.lua:39
      -- input 't'                        1x1x1              0  experiments/lib/unet.lua:40
      -- sinusoidal_embedding(32, 1..1000) 1x1x32             0  experiments/lib/unet.lua:43
      -- upsample_nearest(28x28)          28x28x32           0  experiments/lib/unet.lua:45
      -- conv2d(32, 1x1, linear)          28x28x32          64  experiments/lib/unet.lua:46
      -- concat                           28x28x64           0  experiments/lib/unet.lua:47
      -- conv2d(32, 1x1, linear)          28x28x32        2080  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x64         128  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       18464  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          28x28x32          64  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32        9248  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- avg_pool2                        14x14x32           0  experiments/lib/unet.lua:57
      -- conv2d(64, 1x1, linear)          14x14x64        2112  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x32          64  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       18496  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          14x14x64         128  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       36928  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- avg_pool2                        7x7x64             0  experiments/lib/unet.lua:57
      -- conv2d(96, 1x1, linear)          7x7x96          6240  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          7x7x64           128  experiments/lib/unet.lua:16
      -- conv2d(96, 3x3, swish)           7x7x96         55392  experiments/lib/unet.lua:17
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:18
      -- add                              7x7x96             0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          7x7x96           192  experiments/lib/unet.lua:16
      -- conv2d(96, 3x3, swish)           7x7x96         83040  experiments/lib/unet.lua:17
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:18
      -- add                              7x7x96             0  experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             14x14x96           0  experiments/lib/unet.lua:64
      -- concat                           14x14x160          0  experiments/lib/unet.lua:68
      -- conv2d(64, 1x1, linear)          14x14x64       10304  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x160        320  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       92224  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- concat                           14x14x128          0  experiments/lib/unet.lua:68
      -- conv2d(64, 1x1, linear)          14x14x64        8256  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x128        256  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       73792  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             28x28x64           0  experiments/lib/unet.lua:64
      -- concat                           28x28x96           0  experiments/lib/unet.lua:68
      -- conv2d(32, 1x1, linear)          28x28x32        3104  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x96         192  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       27680  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- concat                           28x28x64           0  experiments/lib/unet.lua:68
      -- conv2d(32, 1x1, linear)          28x28x32        2080  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x64         128  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       18464  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- conv2d(1, 1x1, linear, zeros)    28x28x1           33  experiments/lib/unet.lua:76
    },
    {
      name = "full_without_no_trick",
      reference = "full",
      changes = "without no gradient trick (or the seed's trick)",
      train = { epochs = 1, batch_size = 64, learning_rate = 0.001, weight_decay = 0.0001, loss = "mae", seed = 1, dataset = "train", ema = 0.999, max_images = 12800, normalize = true, ema_warmup = true, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine", gradient_trick = true },
      sample = { grid = 8, scale = 3, metric_samples = 500 },
      -- model made at experiments/lib/unet.lua:77: 820385 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/unet.lua:39
      -- input 't'                        1x1x1              0  experiments/lib/unet.lua:40
      -- sinusoidal_embedding(32, 1..1000) 1x1x32             0  experiments/lib/unet.lua:43
      -- upsample_nearest(28x28)          28x28x32           0  experiments/lib/unet.lua:45
      -- conv2d(32, 1x1, linear)          28x28x32          64  experiments/lib/unet.lua:46
      -- concat                           28x28x64           0  experiments/lib/unet.lua:47
      -- conv2d(32, 1x1, linear)          28x28x32        2080  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x64         128  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       18464  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          28x28x32          64  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32        9248  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- avg_pool2                        14x14x32           0  experiments/lib/unet.lua:57
      -- conv2d(64, 1x1, linear)          14x14x64        2112  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x32          64  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       18496  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          14x14x64         128  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       36928  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- avg_pool2                        7x7x64             0  experiments/lib/unet.lua:57
      -- conv2d(96, 1x1, linear)          7x7x96          6240  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          7x7x64           128  experiments/lib/unet.lua:16
      -- conv2d(96, 3x3, swish)           7x7x96         55392  experiments/lib/unet.lua:17
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:18
      -- add                              7x7x96             0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          7x7x96           192  experiments/lib/unet.lua:16
      -- conv2d(96, 3x3, swish)           7x7x96         83040  experiments/lib/unet.lua:17
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:18
      -- add                              7x7x96             0  experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             14x14x96           0  experiments/lib/unet.lua:64
      -- concat                           14x14x160          0  experiments/lib/unet.lua:68
      -- conv2d(64, 1x1, linear)          14x14x64       10304  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x160        320  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       92224  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- concat                           14x14x128          0  experiments/lib/unet.lua:68
      -- conv2d(64, 1x1, linear)          14x14x64        8256  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x128        256  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       73792  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             28x28x64           0  experiments/lib/unet.lua:64
      -- concat                           28x28x96           0  experiments/lib/unet.lua:68
      -- conv2d(32, 1x1, linear)          28x28x32        3104  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x96         192  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       27680  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- concat                           28x28x64           0  experiments/lib/unet.lua:68
      -- conv2d(32, 1x1, linear)          28x28x32        2080  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x64         128  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       18464  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- conv2d(1, 1x1, linear, zeros)    28x28x1           33  experiments/lib/unet.lua:76
    },
    {
      name = "full_without_mae",
      reference = "full",
      changes = "without MAE loss (or MSE)",
      train = { epochs = 1, batch_size = 64, learning_rate = 0.001, weight_decay = 0.0001, loss = "mse", seed = 1, dataset = "train", ema = 0.999, max_images = 12800, normalize = true, ema_warmup = true, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine", gradient_trick = false },
      sample = { grid = 8, scale = 3, metric_samples = 500 },
      -- model made at experiments/lib/unet.lua:77: 820385 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/unet.lua:39
      -- input 't'                        1x1x1              0  experiments/lib/unet.lua:40
      -- sinusoidal_embedding(32, 1..1000) 1x1x32             0  experiments/lib/unet.lua:43
      -- upsample_nearest(28x28)          28x28x32           0  experiments/lib/unet.lua:45
      -- conv2d(32, 1x1, linear)          28x28x32          64  experiments/lib/unet.lua:46
      -- concat                           28x28x64           0  experiments/lib/unet.lua:47
      -- conv2d(32, 1x1, linear)          28x28x32        2080  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x64         128  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       18464  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          28x28x32          64  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32        9248  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- avg_pool2                        14x14x32           0  experiments/lib/unet.lua:57
      -- conv2d(64, 1x1, linear)          14x14x64        2112  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x32          64  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       18496  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          14x14x64         128  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       36928  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- avg_pool2                        7x7x64             0  experiments/lib/unet.lua:57
      -- conv2d(96, 1x1, linear)          7x7x96          6240  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          7x7x64           128  experiments/lib/unet.lua:16
      -- conv2d(96, 3x3, swish)           7x7x96         55392  experiments/lib/unet.lua:17
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:18
      -- add                              7x7x96             0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          7x7x96           192  experiments/lib/unet.lua:16
      -- conv2d(96, 3x3, swish)           7x7x96         83040  experiments/lib/unet.lua:17
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:18
      -- add                              7x7x96             0  experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             14x14x96           0  experiments/lib/unet.lua:64
      -- concat                           14x14x160          0  experiments/lib/unet.lua:68
      -- conv2d(64, 1x1, linear)          14x14x64       10304  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x160        320  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       92224  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- concat                           14x14x128          0  experiments/lib/unet.lua:68
      -- conv2d(64, 1x1, linear)          14x14x64        8256  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x128        256  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       73792  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             28x28x64           0  experiments/lib/unet.lua:64
      -- concat                           28x28x96           0  experiments/lib/unet.lua:68
      -- conv2d(32, 1x1, linear)          28x28x32        3104  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x96         192  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       27680  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- concat                           28x28x64           0  experiments/lib/unet.lua:68
      -- conv2d(32, 1x1, linear)          28x28x32        2080  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x64         128  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       18464  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- conv2d(1, 1x1, linear, zeros)    28x28x1           33  experiments/lib/unet.lua:76
    },
    {
      name = "minimal",
      changes = "every extra off",
      train = { epochs = 1, batch_size = 64, learning_rate = 0.001, weight_decay = 0.0001, loss = "mse", seed = 1, dataset = "train", ema = 0, max_images = 12800, normalize = false, ema_warmup = false, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "none", gradient_trick = true },
      sample = { grid = 8, scale = 3, metric_samples = 500 },
      -- model made at experiments/lib/seed_nets.lua:35: 2517441 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/seed_nets.lua:27
      -- input 't'                        1x1x1              0  experiments/lib/seed_nets.lua:28
      -- add                              28x28x1            0  experiments/lib/seed_nets.lua:22
      -- flatten                          784                0  experiments/lib/seed_nets.lua:22
      -- dense(3136, relu)                3136         2461760  experiments/lib/seed_nets.lua:30
      -- reshape(7x7x64)                  7x7x64             0  experiments/lib/seed_nets.lua:31
      -- conv_transpose2d(64, s2, relu)   14x14x64       36928  experiments/lib/seed_nets.lua:32
      -- conv_transpose2d(32, s2, relu)   28x28x32       18464  experiments/lib/seed_nets.lua:33
      -- conv_transpose2d(1, s1, sigmoid) 28x28x1          289  experiments/lib/seed_nets.lua:34
    },
    {
      name = "minimal_with_unet",
      reference = "minimal",
      changes = "with the residual U-Net (or the seed's first network)",
      train = { epochs = 1, batch_size = 64, learning_rate = 0.001, weight_decay = 0.0001, loss = "mse", seed = 1, dataset = "train", ema = 0, max_images = 12800, normalize = false, ema_warmup = false, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "none", gradient_trick = true },
      sample = { grid = 8, scale = 3, metric_samples = 500 },
      -- model made at experiments/lib/unet.lua:77: 810403 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/unet.lua:39
      -- input 't'                        1x1x1              0  experiments/lib/unet.lua:40
      -- upsample_nearest(28x28)          28x28x1            0  experiments/lib/unet.lua:45
      -- conv2d(32, 1x1, linear)          28x28x32          64  experiments/lib/unet.lua:46
      -- concat                           28x28x33           0  experiments/lib/unet.lua:47
      -- conv2d(32, 1x1, linear)          28x28x32        1088  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x33          66  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32        9536  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          28x28x32          64  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32        9248  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- avg_pool2                        14x14x32           0  experiments/lib/unet.lua:57
      -- conv2d(64, 1x1, linear)          14x14x64        2112  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x32          64  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       18496  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          14x14x64         128  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       36928  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- avg_pool2                        7x7x64             0  experiments/lib/unet.lua:57
      -- conv2d(96, 1x1, linear)          7x7x96          6240  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          7x7x64           128  experiments/lib/unet.lua:16
      -- conv2d(96, 3x3, swish)           7x7x96         55392  experiments/lib/unet.lua:17
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:18
      -- add                              7x7x96             0  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          7x7x96           192  experiments/lib/unet.lua:16
      -- conv2d(96, 3x3, swish)           7x7x96         83040  experiments/lib/unet.lua:17
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:18
      -- add                              7x7x96             0  experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             14x14x96           0  experiments/lib/unet.lua:64
      -- concat                           14x14x160          0  experiments/lib/unet.lua:68
      -- conv2d(64, 1x1, linear)          14x14x64       10304  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x160        320  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       92224  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- concat                           14x14x128          0  experiments/lib/unet.lua:68
      -- conv2d(64, 1x1, linear)          14x14x64        8256  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          14x14x128        256  experiments/lib/unet.lua:16
      -- conv2d(64, 3x3, swish)           14x14x64       73792  experiments/lib/unet.lua:17
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:18
      -- add                              14x14x64           0  experiments/lib/unet.lua:19
      -- upsample2 (bilinear)             28x28x64           0  experiments/lib/unet.lua:64
      -- concat                           28x28x96           0  experiments/lib/unet.lua:68
      -- conv2d(32, 1x1, linear)          28x28x32        3104  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x96         192  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       27680  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- concat                           28x28x64           0  experiments/lib/unet.lua:68
      -- conv2d(32, 1x1, linear)          28x28x32        2080  experiments/lib/unet.lua:14
      -- batch_norm(0.99, 0.001)          28x28x64         128  experiments/lib/unet.lua:16
      -- conv2d(32, 3x3, swish)           28x28x32       18464  experiments/lib/unet.lua:17
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:18
      -- add                              28x28x32           0  experiments/lib/unet.lua:19
      -- conv2d(1, 1x1, linear, zeros)    28x28x1           33  experiments/lib/unet.lua:76
    },
    {
      name = "minimal_with_sinusoidal",
      reference = "minimal",
      changes = "with the sinusoidal noise embedding (or the noise level itself)",
      train = { epochs = 1, batch_size = 64, learning_rate = 0.001, weight_decay = 0.0001, loss = "mse", seed = 1, dataset = "train", ema = 0, max_images = 12800, normalize = false, ema_warmup = false, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "none", gradient_trick = true },
      sample = { grid = 8, scale = 3, metric_samples = 500 },
      -- model made at experiments/lib/seed_nets.lua:35: 2543313 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/seed_nets.lua:27
      -- input 't'                        1x1x1              0  experiments/lib/seed_nets.lua:28
      -- sinusoidal_embedding(32, 1..1000) 1x1x32             0  experiments/lib/seed_nets.lua:19
      -- flatten                          32                 0  experiments/lib/seed_nets.lua:20
      -- dense(784, linear)               784            25872  experiments/lib/seed_nets.lua:20
      -- reshape(28x28x1)                 28x28x1            0  experiments/lib/seed_nets.lua:20
      -- add                              28x28x1            0  experiments/lib/seed_nets.lua:20
      -- flatten                          784                0  experiments/lib/seed_nets.lua:20
      -- dense(3136, relu)                3136         2461760  experiments/lib/seed_nets.lua:30
      -- reshape(7x7x64)                  7x7x64             0  experiments/lib/seed_nets.lua:31
      -- conv_transpose2d(64, s2, relu)   14x14x64       36928  experiments/lib/seed_nets.lua:32
      -- conv_transpose2d(32, s2, relu)   28x28x32       18464  experiments/lib/seed_nets.lua:33
      -- conv_transpose2d(1, s1, sigmoid) 28x28x1          289  experiments/lib/seed_nets.lua:34
    },
    {
      name = "minimal_with_cosine",
      reference = "minimal",
      changes = "with the offset cosine schedule (or the seed's none)",
      train = { epochs = 1, batch_size = 64, learning_rate = 0.001, weight_decay = 0.0001, loss = "mse", seed = 1, dataset = "train", ema = 0, max_images = 12800, normalize = false, ema_warmup = false, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine", gradient_trick = true },
      sample = { grid = 8, scale = 3, metric_samples = 500 },
      -- model made at experiments/lib/seed_nets.lua:35: 2517441 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/seed_nets.lua:27
      -- input 't'                        1x1x1              0  experiments/lib/seed_nets.lua:28
      -- add                              28x28x1            0  experiments/lib/seed_nets.lua:22
      -- flatten                          784                0  experiments/lib/seed_nets.lua:22
      -- dense(3136, relu)                3136         2461760  experiments/lib/seed_nets.lua:30
      -- reshape(7x7x64)                  7x7x64             0  experiments/lib/seed_nets.lua:31
      -- conv_transpose2d(64, s2, relu)   14x14x64       36928  experiments/lib/seed_nets.lua:32
      -- conv_transpose2d(32, s2, relu)   28x28x32       18464  experiments/lib/seed_nets.lua:33
      -- conv_transpose2d(1, s1, sigmoid) 28x28x1          289  experiments/lib/seed_nets.lua:34
    },
    {
      name = "minimal_with_normalize",
      reference = "minimal",
      changes = "with dataset normalization",
      train = { epochs = 1, batch_size = 64, learning_rate = 0.001, weight_decay = 0.0001, loss = "mse", seed = 1, dataset = "train", ema = 0, max_images = 12800, normalize = true, ema_warmup = false, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "none", gradient_trick = true },
      sample = { grid = 8, scale = 3, metric_samples = 500 },
      -- model made at experiments/lib/seed_nets.lua:35: 2517441 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/seed_nets.lua:27
      -- input 't'                        1x1x1              0  experiments/lib/seed_nets.lua:28
      -- add                              28x28x1            0  experiments/lib/seed_nets.lua:22
      -- flatten                          784                0  experiments/lib/seed_nets.lua:22
      -- dense(3136, relu)                3136         2461760  experiments/lib/seed_nets.lua:30
      -- reshape(7x7x64)                  7x7x64             0  experiments/lib/seed_nets.lua:31
      -- conv_transpose2d(64, s2, relu)   14x14x64       36928  experiments/lib/seed_nets.lua:32
      -- conv_transpose2d(32, s2, relu)   28x28x32       18464  experiments/lib/seed_nets.lua:33
      -- conv_transpose2d(1, s1, sigmoid) 28x28x1          289  experiments/lib/seed_nets.lua:34
    },
    {
      name = "minimal_with_ema",
      reference = "minimal",
      changes = "with the EMA of the weights (0.999, warmed up)",
      train = { epochs = 1, batch_size = 64, learning_rate = 0.001, weight_decay = 0.0001, loss = "mse", seed = 1, dataset = "train", ema = 0.999, max_images = 12800, normalize = false, ema_warmup = true, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "none", gradient_trick = true },
      sample = { grid = 8, scale = 3, metric_samples = 500 },
      -- model made at experiments/lib/seed_nets.lua:35: 2517441 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/seed_nets.lua:27
      -- input 't'                        1x1x1              0  experiments/lib/seed_nets.lua:28
      -- add                              28x28x1            0  experiments/lib/seed_nets.lua:22
      -- flatten                          784                0  experiments/lib/seed_nets.lua:22
      -- dense(3136, relu)                3136         2461760  experiments/lib/seed_nets.lua:30
      -- reshape(7x7x64)                  7x7x64             0  experiments/lib/seed_nets.lua:31
      -- conv_transpose2d(64, s2, relu)   14x14x64       36928  experiments/lib/seed_nets.lua:32
      -- conv_transpose2d(32, s2, relu)   28x28x32       18464  experiments/lib/seed_nets.lua:33
      -- conv_transpose2d(1, s1, sigmoid) 28x28x1          289  experiments/lib/seed_nets.lua:34
    },
    {
      name = "minimal_with_no_trick",
      reference = "minimal",
      changes = "with no gradient trick (or the seed's trick)",
      train = { epochs = 1, batch_size = 64, learning_rate = 0.001, weight_decay = 0.0001, loss = "mse", seed = 1, dataset = "train", ema = 0, max_images = 12800, normalize = false, ema_warmup = false, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "none", gradient_trick = false },
      sample = { grid = 8, scale = 3, metric_samples = 500 },
      -- model made at experiments/lib/seed_nets.lua:35: 2517441 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/seed_nets.lua:27
      -- input 't'                        1x1x1              0  experiments/lib/seed_nets.lua:28
      -- add                              28x28x1            0  experiments/lib/seed_nets.lua:22
      -- flatten                          784                0  experiments/lib/seed_nets.lua:22
      -- dense(3136, relu)                3136         2461760  experiments/lib/seed_nets.lua:30
      -- reshape(7x7x64)                  7x7x64             0  experiments/lib/seed_nets.lua:31
      -- conv_transpose2d(64, s2, relu)   14x14x64       36928  experiments/lib/seed_nets.lua:32
      -- conv_transpose2d(32, s2, relu)   28x28x32       18464  experiments/lib/seed_nets.lua:33
      -- conv_transpose2d(1, s1, sigmoid) 28x28x1          289  experiments/lib/seed_nets.lua:34
    },
    {
      name = "minimal_with_mae",
      reference = "minimal",
      changes = "with MAE loss (or MSE)",
      train = { epochs = 1, batch_size = 64, learning_rate = 0.001, weight_decay = 0.0001, loss = "mae", seed = 1, dataset = "train", ema = 0, max_images = 12800, normalize = false, ema_warmup = false, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "none", gradient_trick = true },
      sample = { grid = 8, scale = 3, metric_samples = 500 },
      -- model made at experiments/lib/seed_nets.lua:35: 2517441 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/seed_nets.lua:27
      -- input 't'                        1x1x1              0  experiments/lib/seed_nets.lua:28
      -- add                              28x28x1            0  experiments/lib/seed_nets.lua:22
      -- flatten                          784                0  experiments/lib/seed_nets.lua:22
      -- dense(3136, relu)                3136         2461760  experiments/lib/seed_nets.lua:30
      -- reshape(7x7x64)                  7x7x64             0  experiments/lib/seed_nets.lua:31
      -- conv_transpose2d(64, s2, relu)   14x14x64       36928  experiments/lib/seed_nets.lua:32
      -- conv_transpose2d(32, s2, relu)   28x28x32       18464  experiments/lib/seed_nets.lua:33
      -- conv_transpose2d(1, s1, sigmoid) 28x28x1          289  experiments/lib/seed_nets.lua:34
    },
  },
}

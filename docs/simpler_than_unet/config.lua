-- experiments/simpler_than_unet.lua, resolved by ddim-lab 0.1.0: every setting of every variant as the run used it.
-- Options: none
-- An experiment file: `ddim-lab <this file>`, from the directory the run started in, trains the same
-- again (its settings are these; ddim.model_of rebuilds each network from its file).
local ddim = require "ddim"

return ddim.experiment {
  name = "simpler_than_unet",
  -- every variant trains once per seed, its train.seed set to it
  seeds = { 1, 2, 3 },
  variants = {
    {
      name = "seed_first",
      changes = "the seed's first network",
      model = ddim.model_of("experiments/simpler_than_unet.lua", "seed_first"),
      train = { epochs = 10, batch_size = 64, learning_rate = 0.005, weight_decay = 0.0001, loss = "mse", seed = 1, dataset = "train", ema = 0.999, max_images = 59456, normalize = true, ema_warmup = true, image_loss = false, cosine_decay = true, p2_gamma = 2, p2_sampling = true, checkpoint_every = 500, max_weight = 10000 },
      diffusion = { steps = 50, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine", gradient_trick = false, eta = 1, clip_denoised = false, prediction = "velocity", guidance = 1, guide_epoch = 0 },
      sample = { grid = 8, scale = 3, metric_samples = 2000 },
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
      name = "seed_skip",
      reference = "seed_first",
      changes = "a skip connection (the seed's update 2)",
      model = ddim.model_of("experiments/simpler_than_unet.lua", "seed_skip"),
      train = { epochs = 9, batch_size = 64, learning_rate = 0.005, weight_decay = 0.0001, loss = "mse", seed = 1, dataset = "train", ema = 0.999, max_images = 55680, normalize = true, ema_warmup = true, image_loss = false, cosine_decay = true, p2_gamma = 2, p2_sampling = true, checkpoint_every = 500, max_weight = 10000 },
      diffusion = { steps = 50, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine", gradient_trick = false, eta = 1, clip_denoised = false, prediction = "velocity", guidance = 1, guide_epoch = 0 },
      sample = { grid = 8, scale = 3, metric_samples = 2000 },
      -- model made at experiments/lib/seed_nets.lua:53: 3132881 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/seed_nets.lua:44
      -- input 't'                        1x1x1              0  experiments/lib/seed_nets.lua:45
      -- add                              28x28x1            0  experiments/lib/seed_nets.lua:22
      -- flatten                          784                0  experiments/lib/seed_nets.lua:22
      -- dense(784, linear)               784           615440  experiments/lib/seed_nets.lua:46
      -- reshape(28x28x1)                 28x28x1            0  experiments/lib/seed_nets.lua:47
      -- dense(3136, relu)                3136         2461760  experiments/lib/seed_nets.lua:48
      -- reshape(7x7x64)                  7x7x64             0  experiments/lib/seed_nets.lua:49
      -- conv_transpose2d(64, s2, relu)   14x14x64       36928  experiments/lib/seed_nets.lua:50
      -- conv_transpose2d(32, s2, relu)   28x28x32       18464  experiments/lib/seed_nets.lua:51
      -- conv_transpose2d(1, s1, relu)    28x28x1          289  experiments/lib/seed_nets.lua:52
      -- add                              28x28x1            0  experiments/lib/seed_nets.lua:53
    },
    {
      name = "conv_net",
      reference = "seed_skip",
      changes = "convolutions at 28, 14 and 7 pixels, no skips",
      model = ddim.model_of("experiments/simpler_than_unet.lua", "conv_net"),
      train = { epochs = 4, batch_size = 64, learning_rate = 0.005, weight_decay = 0.0001, loss = "mse", seed = 1, dataset = "train", ema = 0.999, max_images = 47168, normalize = true, ema_warmup = true, image_loss = false, cosine_decay = true, p2_gamma = 2, p2_sampling = true, checkpoint_every = 500, max_weight = 10000 },
      diffusion = { steps = 50, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine", gradient_trick = false, eta = 1, clip_denoised = false, prediction = "velocity", guidance = 1, guide_epoch = 0 },
      sample = { grid = 8, scale = 3, metric_samples = 2000 },
      -- model made at experiments/lib/unet.lua:102: 110241 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/unet.lua:54
      -- input 't'                        1x1x1              0  experiments/lib/unet.lua:55
      -- upsample_nearest(28x28)          28x28x1            0  experiments/lib/unet.lua:60
      -- conv2d(16, 1x1, linear)          28x28x16          32  experiments/lib/unet.lua:61
      -- concat                           28x28x17           0  experiments/lib/unet.lua:62
      -- upsample_nearest(28x28)          28x28x1            0  experiments/lib/unet.lua:70
      -- upsample_nearest(14x14)          14x14x1            0  experiments/lib/unet.lua:70
      -- upsample_nearest(7x7)            7x7x1              0  experiments/lib/unet.lua:70
      -- concat                           28x28x18           0  experiments/lib/unet.lua:22
      -- conv2d(16, 3x3, swish)           28x28x16        2608  experiments/lib/unet.lua:23
      -- conv2d(16, 3x3, swish)           28x28x16        2320  experiments/lib/unet.lua:25
      -- avg_pool2                        14x14x16           0  experiments/lib/unet.lua:82
      -- concat                           14x14x17           0  experiments/lib/unet.lua:22
      -- conv2d(32, 3x3, swish)           14x14x32        4928  experiments/lib/unet.lua:23
      -- conv2d(32, 3x3, swish)           14x14x32        9248  experiments/lib/unet.lua:25
      -- avg_pool2                        7x7x32             0  experiments/lib/unet.lua:82
      -- concat                           7x7x33             0  experiments/lib/unet.lua:22
      -- conv2d(64, 3x3, swish)           7x7x64         19072  experiments/lib/unet.lua:23
      -- conv2d(64, 3x3, swish)           7x7x64         36928  experiments/lib/unet.lua:25
      -- upsample2 (bilinear)             14x14x64           0  experiments/lib/unet.lua:89
      -- concat                           14x14x65           0  experiments/lib/unet.lua:22
      -- conv2d(32, 3x3, swish)           14x14x32       18752  experiments/lib/unet.lua:23
      -- conv2d(32, 3x3, swish)           14x14x32        9248  experiments/lib/unet.lua:25
      -- upsample2 (bilinear)             28x28x32           0  experiments/lib/unet.lua:89
      -- concat                           28x28x33           0  experiments/lib/unet.lua:22
      -- conv2d(16, 3x3, swish)           28x28x16        4768  experiments/lib/unet.lua:23
      -- conv2d(16, 3x3, swish)           28x28x16        2320  experiments/lib/unet.lua:25
      -- conv2d(1, 1x1, linear, zeros)    28x28x1           17  experiments/lib/unet.lua:101
    },
    {
      name = "conv_net_skips",
      reference = "conv_net",
      changes = "the U-Net's skips across resolutions",
      model = ddim.model_of("experiments/simpler_than_unet.lua", "conv_net_skips"),
      train = { epochs = 4, batch_size = 64, learning_rate = 0.005, weight_decay = 0.0001, loss = "mse", seed = 1, dataset = "train", ema = 0.999, max_images = 46528, normalize = true, ema_warmup = true, image_loss = false, cosine_decay = true, p2_gamma = 2, p2_sampling = true, checkpoint_every = 500, max_weight = 10000 },
      diffusion = { steps = 50, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine", gradient_trick = false, eta = 1, clip_denoised = false, prediction = "velocity", guidance = 1, guide_epoch = 0 },
      sample = { grid = 8, scale = 3, metric_samples = 2000 },
      -- model made at experiments/lib/unet.lua:102: 121761 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/unet.lua:54
      -- input 't'                        1x1x1              0  experiments/lib/unet.lua:55
      -- upsample_nearest(28x28)          28x28x1            0  experiments/lib/unet.lua:60
      -- conv2d(16, 1x1, linear)          28x28x16          32  experiments/lib/unet.lua:61
      -- concat                           28x28x17           0  experiments/lib/unet.lua:62
      -- upsample_nearest(28x28)          28x28x1            0  experiments/lib/unet.lua:70
      -- upsample_nearest(14x14)          14x14x1            0  experiments/lib/unet.lua:70
      -- upsample_nearest(7x7)            7x7x1              0  experiments/lib/unet.lua:70
      -- concat                           28x28x18           0  experiments/lib/unet.lua:22
      -- conv2d(16, 3x3, swish)           28x28x16        2608  experiments/lib/unet.lua:23
      -- conv2d(16, 3x3, swish)           28x28x16        2320  experiments/lib/unet.lua:25
      -- avg_pool2                        14x14x16           0  experiments/lib/unet.lua:82
      -- concat                           14x14x17           0  experiments/lib/unet.lua:22
      -- conv2d(32, 3x3, swish)           14x14x32        4928  experiments/lib/unet.lua:23
      -- conv2d(32, 3x3, swish)           14x14x32        9248  experiments/lib/unet.lua:25
      -- avg_pool2                        7x7x32             0  experiments/lib/unet.lua:82
      -- concat                           7x7x33             0  experiments/lib/unet.lua:22
      -- conv2d(64, 3x3, swish)           7x7x64         19072  experiments/lib/unet.lua:23
      -- conv2d(64, 3x3, swish)           7x7x64         36928  experiments/lib/unet.lua:25
      -- upsample2 (bilinear)             14x14x64           0  experiments/lib/unet.lua:89
      -- concat                           14x14x96           0  experiments/lib/unet.lua:93
      -- concat                           14x14x97           0  experiments/lib/unet.lua:22
      -- conv2d(32, 3x3, swish)           14x14x32       27968  experiments/lib/unet.lua:23
      -- conv2d(32, 3x3, swish)           14x14x32        9248  experiments/lib/unet.lua:25
      -- upsample2 (bilinear)             28x28x32           0  experiments/lib/unet.lua:89
      -- concat                           28x28x48           0  experiments/lib/unet.lua:93
      -- concat                           28x28x49           0  experiments/lib/unet.lua:22
      -- conv2d(16, 3x3, swish)           28x28x16        7072  experiments/lib/unet.lua:23
      -- conv2d(16, 3x3, swish)           28x28x16        2320  experiments/lib/unet.lua:25
      -- conv2d(1, 1x1, linear, zeros)    28x28x1           17  experiments/lib/unet.lua:101
    },
    {
      name = "unet_one_block",
      reference = "conv_net_skips",
      changes = "residual blocks with batch norm (the recipe's network)",
      model = ddim.model_of("experiments/simpler_than_unet.lua", "unet_one_block"),
      train = { epochs = 3, batch_size = 64, learning_rate = 0.005, weight_decay = 0.0001, loss = "mse", seed = 1, dataset = "train", ema = 0.999, max_images = 54080, normalize = true, ema_warmup = true, image_loss = false, cosine_decay = true, p2_gamma = 2, p2_sampling = true, checkpoint_every = 500, max_weight = 10000 },
      diffusion = { steps = 50, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine", gradient_trick = false, eta = 1, clip_denoised = false, prediction = "velocity", guidance = 1, guide_epoch = 0 },
      sample = { grid = 8, scale = 3, metric_samples = 2000 },
      -- model made at experiments/lib/unet.lua:102: 129011 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/unet.lua:54
      -- input 't'                        1x1x1              0  experiments/lib/unet.lua:55
      -- upsample_nearest(28x28)          28x28x1            0  experiments/lib/unet.lua:60
      -- conv2d(16, 1x1, linear)          28x28x16          32  experiments/lib/unet.lua:61
      -- concat                           28x28x17           0  experiments/lib/unet.lua:62
      -- upsample_nearest(28x28)          28x28x1            0  experiments/lib/unet.lua:70
      -- upsample_nearest(14x14)          14x14x1            0  experiments/lib/unet.lua:70
      -- upsample_nearest(7x7)            7x7x1              0  experiments/lib/unet.lua:70
      -- conv2d(16, 1x1, linear)          28x28x16         288  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          28x28x17          34  experiments/lib/unet.lua:21
      -- concat                           28x28x18           0  experiments/lib/unet.lua:22
      -- conv2d(16, 3x3, swish)           28x28x16        2608  experiments/lib/unet.lua:23
      -- conv2d(16, 3x3, linear)          28x28x16        2320  experiments/lib/unet.lua:27
      -- add                              28x28x16           0  experiments/lib/unet.lua:28
      -- avg_pool2                        14x14x16           0  experiments/lib/unet.lua:82
      -- conv2d(32, 1x1, linear)          14x14x32         544  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          14x14x16          32  experiments/lib/unet.lua:21
      -- concat                           14x14x17           0  experiments/lib/unet.lua:22
      -- conv2d(32, 3x3, swish)           14x14x32        4928  experiments/lib/unet.lua:23
      -- conv2d(32, 3x3, linear)          14x14x32        9248  experiments/lib/unet.lua:27
      -- add                              14x14x32           0  experiments/lib/unet.lua:28
      -- avg_pool2                        7x7x32             0  experiments/lib/unet.lua:82
      -- conv2d(64, 1x1, linear)          7x7x64          2112  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          7x7x32            64  experiments/lib/unet.lua:21
      -- concat                           7x7x33             0  experiments/lib/unet.lua:22
      -- conv2d(64, 3x3, swish)           7x7x64         19072  experiments/lib/unet.lua:23
      -- conv2d(64, 3x3, linear)          7x7x64         36928  experiments/lib/unet.lua:27
      -- add                              7x7x64             0  experiments/lib/unet.lua:28
      -- upsample2 (bilinear)             14x14x64           0  experiments/lib/unet.lua:89
      -- concat                           14x14x96           0  experiments/lib/unet.lua:93
      -- conv2d(32, 1x1, linear)          14x14x32        3104  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          14x14x96         192  experiments/lib/unet.lua:21
      -- concat                           14x14x97           0  experiments/lib/unet.lua:22
      -- conv2d(32, 3x3, swish)           14x14x32       27968  experiments/lib/unet.lua:23
      -- conv2d(32, 3x3, linear)          14x14x32        9248  experiments/lib/unet.lua:27
      -- add                              14x14x32           0  experiments/lib/unet.lua:28
      -- upsample2 (bilinear)             28x28x32           0  experiments/lib/unet.lua:89
      -- concat                           28x28x48           0  experiments/lib/unet.lua:93
      -- conv2d(16, 1x1, linear)          28x28x16         784  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          28x28x48          96  experiments/lib/unet.lua:21
      -- concat                           28x28x49           0  experiments/lib/unet.lua:22
      -- conv2d(16, 3x3, swish)           28x28x16        7072  experiments/lib/unet.lua:23
      -- conv2d(16, 3x3, linear)          28x28x16        2320  experiments/lib/unet.lua:27
      -- add                              28x28x16           0  experiments/lib/unet.lua:28
      -- conv2d(1, 1x1, linear, zeros)    28x28x1           17  experiments/lib/unet.lua:101
    },
    {
      name = "unet_full",
      reference = "unet_one_block",
      changes = "the Keras example's full U-Net",
      model = ddim.model_of("experiments/simpler_than_unet.lua", "unet_full"),
      train = { epochs = 1, batch_size = 64, learning_rate = 0.005, weight_decay = 0.0001, loss = "mse", seed = 1, dataset = "train", ema = 0.999, max_images = 26048, normalize = true, ema_warmup = true, image_loss = false, cosine_decay = true, p2_gamma = 2, p2_sampling = true, checkpoint_every = 500, max_weight = 10000 },
      diffusion = { steps = 50, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "cosine", gradient_trick = false, eta = 1, clip_denoised = false, prediction = "velocity", guidance = 1, guide_epoch = 0 },
      sample = { grid = 8, scale = 3, metric_samples = 2000 },
      -- model made at experiments/lib/unet.lua:102: 820385 parameters
      -- layer                            output        params  written at
      -- input 'x'                        28x28x1            0  experiments/lib/unet.lua:54
      -- input 't'                        1x1x1              0  experiments/lib/unet.lua:55
      -- sinusoidal_embedding(32, 1..1000) 1x1x32             0  experiments/lib/unet.lua:58
      -- upsample_nearest(28x28)          28x28x32           0  experiments/lib/unet.lua:60
      -- conv2d(32, 1x1, linear)          28x28x32          64  experiments/lib/unet.lua:61
      -- concat                           28x28x64           0  experiments/lib/unet.lua:62
      -- conv2d(32, 1x1, linear)          28x28x32        2080  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          28x28x64         128  experiments/lib/unet.lua:21
      -- conv2d(32, 3x3, swish)           28x28x32       18464  experiments/lib/unet.lua:23
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:27
      -- add                              28x28x32           0  experiments/lib/unet.lua:28
      -- batch_norm(0.99, 0.001)          28x28x32          64  experiments/lib/unet.lua:21
      -- conv2d(32, 3x3, swish)           28x28x32        9248  experiments/lib/unet.lua:23
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:27
      -- add                              28x28x32           0  experiments/lib/unet.lua:28
      -- avg_pool2                        14x14x32           0  experiments/lib/unet.lua:82
      -- conv2d(64, 1x1, linear)          14x14x64        2112  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          14x14x32          64  experiments/lib/unet.lua:21
      -- conv2d(64, 3x3, swish)           14x14x64       18496  experiments/lib/unet.lua:23
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:27
      -- add                              14x14x64           0  experiments/lib/unet.lua:28
      -- batch_norm(0.99, 0.001)          14x14x64         128  experiments/lib/unet.lua:21
      -- conv2d(64, 3x3, swish)           14x14x64       36928  experiments/lib/unet.lua:23
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:27
      -- add                              14x14x64           0  experiments/lib/unet.lua:28
      -- avg_pool2                        7x7x64             0  experiments/lib/unet.lua:82
      -- conv2d(96, 1x1, linear)          7x7x96          6240  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          7x7x64           128  experiments/lib/unet.lua:21
      -- conv2d(96, 3x3, swish)           7x7x96         55392  experiments/lib/unet.lua:23
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:27
      -- add                              7x7x96             0  experiments/lib/unet.lua:28
      -- batch_norm(0.99, 0.001)          7x7x96           192  experiments/lib/unet.lua:21
      -- conv2d(96, 3x3, swish)           7x7x96         83040  experiments/lib/unet.lua:23
      -- conv2d(96, 3x3, linear)          7x7x96         83040  experiments/lib/unet.lua:27
      -- add                              7x7x96             0  experiments/lib/unet.lua:28
      -- upsample2 (bilinear)             14x14x96           0  experiments/lib/unet.lua:89
      -- concat                           14x14x160          0  experiments/lib/unet.lua:93
      -- conv2d(64, 1x1, linear)          14x14x64       10304  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          14x14x160        320  experiments/lib/unet.lua:21
      -- conv2d(64, 3x3, swish)           14x14x64       92224  experiments/lib/unet.lua:23
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:27
      -- add                              14x14x64           0  experiments/lib/unet.lua:28
      -- concat                           14x14x128          0  experiments/lib/unet.lua:93
      -- conv2d(64, 1x1, linear)          14x14x64        8256  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          14x14x128        256  experiments/lib/unet.lua:21
      -- conv2d(64, 3x3, swish)           14x14x64       73792  experiments/lib/unet.lua:23
      -- conv2d(64, 3x3, linear)          14x14x64       36928  experiments/lib/unet.lua:27
      -- add                              14x14x64           0  experiments/lib/unet.lua:28
      -- upsample2 (bilinear)             28x28x64           0  experiments/lib/unet.lua:89
      -- concat                           28x28x96           0  experiments/lib/unet.lua:93
      -- conv2d(32, 1x1, linear)          28x28x32        3104  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          28x28x96         192  experiments/lib/unet.lua:21
      -- conv2d(32, 3x3, swish)           28x28x32       27680  experiments/lib/unet.lua:23
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:27
      -- add                              28x28x32           0  experiments/lib/unet.lua:28
      -- concat                           28x28x64           0  experiments/lib/unet.lua:93
      -- conv2d(32, 1x1, linear)          28x28x32        2080  experiments/lib/unet.lua:19
      -- batch_norm(0.99, 0.001)          28x28x64         128  experiments/lib/unet.lua:21
      -- conv2d(32, 3x3, swish)           28x28x32       18464  experiments/lib/unet.lua:23
      -- conv2d(32, 3x3, linear)          28x28x32        9248  experiments/lib/unet.lua:27
      -- add                              28x28x32           0  experiments/lib/unet.lua:28
      -- conv2d(1, 1x1, linear, zeros)    28x28x1           33  experiments/lib/unet.lua:101
    },
  },
}

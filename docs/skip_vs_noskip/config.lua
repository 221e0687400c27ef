-- experiments/skip_vs_noskip.lua, resolved by ddim-lab 0.1.0: every setting of every variant as the run used it.
-- Options: none
return {
  name = "skip_vs_noskip",
  -- every variant trains once per seed, its train.seed set to it
  seeds = { 1, 2, 3 },
  variants = {
    {
      name = "first",
      changes = "the seed's first network",
      train = { epochs = 3, batch_size = 64, learning_rate = 0.001, weight_decay = 0.004, loss = "mae", seed = 1, dataset = "all", ema = 0, max_images = 0, normalize = false, ema_warmup = false, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "none", gradient_trick = true },
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
      name = "skip",
      reference = "first",
      changes = "plus the linear Dense(784) skip path",
      train = { epochs = 3, batch_size = 64, learning_rate = 0.001, weight_decay = 0.004, loss = "mae", seed = 1, dataset = "all", ema = 0, max_images = 0, normalize = false, ema_warmup = false, image_loss = false },
      diffusion = { steps = 20, min_signal_rate = 0.02, max_signal_rate = 0.95, schedule = "none", gradient_trick = true },
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
  },
}

-- The Keras DDIM example's residual U-Net at MNIST size (../shared/seed/README.md,
-- "The Keras example's full configuration"), written with ddim's functional
-- API line for line as the example's get_network. At 28x28 two 2x
-- downsamplings fit (28 -> 14 -> 7), so the default widths are {32, 64, 96}.
local ddim = require "ddim"

local unet = {}

-- (1x1 conv projection if the widths differ) + BatchNorm(no scale, no
-- center) -> Conv3x3 swish -> Conv3x3, added to the residual. With
-- options.batch_norm false the branch starts at the convolution; with a
-- noise map (the noise level at this block's resolution) the branch's
-- first convolution also reads it. With options.residual false the block
-- is the branch alone, its second convolution swish too: two plain
-- convolutions, no path around them.
local function residual_block(x, input_width, width, options, noise_map)
  local residual = x
  if input_width ~= width and options.residual ~= false then
    residual = ddim.conv2d(x, width, {kernel_size = 1})
  end
  if options.batch_norm ~= false then x = ddim.batch_norm(x) end
  if noise_map then x = ddim.concat{x, noise_map} end
  x = ddim.conv2d(x, width, {kernel_size = 3, activation = "swish"})
  if options.residual == false then
    return ddim.conv2d(x, width, {kernel_size = 3, activation = "swish"})
  end
  x = ddim.conv2d(x, width, {kernel_size = 3})
  return ddim.add(x, residual)
end

-- unet.network{widths = {32, 64, 96}, block_depth = 2, embedding = "sinusoidal", embedding_dims = 32,
--              skips = true, batch_norm = true, residual = true, noise_in_blocks = false}
-- embedding = "raw" feeds the noise level itself, copied to every pixel, in
-- place of its 32 sinusoids; skips = false drops the U-Net's skip
-- connections (the up path's concatenations): a plain convolutional
-- encoder-decoder of the same blocks, to tell convolutions from U-Net skips.
-- batch_norm = false drops the blocks' batch normalization (Keras's
-- normalises over a batch of mixed noise levels in training and with moving
-- statistics when sampling); residual = false makes every block two plain
-- convolutions (see residual_block); noise_in_blocks = true gives every block's
-- branch the noise level as one more channel (the Keras net reads it only
-- at the input).
function unet.network(options)
  options = options or {}
  local widths = options.widths or {32, 64, 96}
  local block_depth = options.block_depth or 2
  local embedding = options.embedding or "sinusoidal"
  local embedding_dims = embedding == "raw" and 1 or options.embedding_dims or 32
  local skips_on = options.skips ~= false
  if embedding ~= "sinusoidal" and embedding ~= "raw" then
    error("unet.network: embedding must be \"sinusoidal\" or \"raw\", got " .. tostring(embedding), 2)
  end

  local noisy_images = ddim.input{28, 28, 1, name = "x"}
  local noise_variances = ddim.input{1, 1, 1, name = "t"}
  local e = noise_variances
  if embedding == "sinusoidal" then
    e = ddim.sinusoidal_embedding(e, {channels = embedding_dims, min_frequency = 1, max_frequency = 1000})
  end
  e = ddim.upsample_nearest(e, {28, 28})
  local x = ddim.conv2d(noisy_images, widths[1], {kernel_size = 1})
  x = ddim.concat{x, e}
  local width_now = widths[1] + embedding_dims

  -- noise_maps[level]: the noise level at that level's resolution (28, 14, 7)
  local noise_maps = {}
  if options.noise_in_blocks then
    local size = 28
    for level = 1, #widths do
      noise_maps[level] = ddim.upsample_nearest(noise_variances, {size, size})
      size = size // 2
    end
  end

  local skips = {}
  for level = 1, #widths - 1 do                       -- down blocks
    for _ = 1, block_depth do
      x = residual_block(x, width_now, widths[level], options, noise_maps[level])
      width_now = widths[level]
      skips[#skips + 1] = {x, width_now}
    end
    x = ddim.avg_pool2(x)
  end
  for _ = 1, block_depth do                           -- the bottleneck
    x = residual_block(x, width_now, widths[#widths], options, noise_maps[#widths])
    width_now = widths[#widths]
  end
  for level = #widths - 1, 1, -1 do                   -- up blocks
    x = ddim.upsample2(x)
    for _ = 1, block_depth do
      local skip = table.remove(skips)
      if skips_on then
        x = ddim.concat{x, skip[1]}
        x = residual_block(x, width_now + skip[2], widths[level], options, noise_maps[level])
      else
        x = residual_block(x, width_now, widths[level], options, noise_maps[level])
      end
      width_now = widths[level]
    end
  end
  x = ddim.conv2d(x, 1, {kernel_size = 1, kernel_initializer = "zeros"})
  return ddim.model{inputs = {noisy_images, noise_variances}, output = x}
end

return unet

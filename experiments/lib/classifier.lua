-- The MNIST classifier that scores generated samples (`ddim-lab classifier`
-- trains it and writes models/mnist_classifier_v2.ddim, with this file's
-- source): a small CNN whose softmax says how recognisable a sample is and
-- whose penultimate layer, 128 relu features, is the space FID and KID
-- compare samples in (as Inception's pool features are for ImageNet).
--
-- Input: the digit, pixel values in [0, 1] standardised with the training
-- digits' mean and standard deviation. 'same' 3x3 convolutions; each 2x2
-- average pooling halves the image, 28 -> 14 -> 7.
local ddim = require "ddim"

local classifier = {}

function classifier.network()
  local images = ddim.input{28, 28, 1, name = "image"}
  local x = ddim.conv2d(images, 32, {kernel_size = 3, activation = "relu"})   -- 28x28x32
  x = ddim.conv2d(x, 32, {kernel_size = 3, activation = "relu"})
  x = ddim.avg_pool2(x)                                                       -- 14x14x32
  x = ddim.conv2d(x, 64, {kernel_size = 3, activation = "relu"})              -- 14x14x64
  x = ddim.conv2d(x, 64, {kernel_size = 3, activation = "relu"})
  x = ddim.avg_pool2(x)                                                       -- 7x7x64
  local features = ddim.dense(ddim.flatten(x), 128, {activation = "relu"})    -- the penultimate layer
  local logits = ddim.dense(features, 10)                                     -- one per digit, 0-9
  return ddim.classifier{input = images, features = features, output = logits}
end

return classifier

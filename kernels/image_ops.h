/* image_ops.h: the plain-C loops behind the graph ops of the Keras DDIM example's residual U-Net
 * (keras.io/examples/generative/ddim): average pooling, bilinear upsampling, channel concatenation,
 * batch normalization without scale and center, the sinusoidal noise embedding and its broadcast.
 *
 * Tensors are NHWC floats, batch-major; "pixels" is batch * height * width, so a [pixels, channels]
 * tensor is any NHWC tensor seen as rows of channels. Every function is single-threaded, keeps no
 * state, and sums in a fixed order (reductions in double), so its results depend on nothing but its
 * arguments. Outputs must not overlap inputs. Sizes are >= 1 unless a comment says otherwise. */
#ifndef DDIM_IMAGE_OPS_H
#define DDIM_IMAGE_OPS_H

#include <stddef.h>

/* 2x2 average pooling, stride 2 (Keras AveragePooling2D(pool_size=2), 'valid'; h, w are the OUTPUT sizes):
 * x [batch, 2h, 2w, channels] -> y [batch, h, w, channels], y = mean of the 2x2 window. */
void avg_pool2(int batch, int h, int w, int channels, const float *x, float *y);
/* Its adjoint (the backward): dy [batch, h, w, channels] -> dx [batch, 2h, 2w, channels], dx = dy(i/2, j/2) / 4. */
void avg_pool2_adjoint(int batch, int h, int w, int channels, const float *dy, float *dx);

/* 2x bilinear upsampling with TensorFlow's half-pixel centers (tf.image.resize(..., "bilinear"), which Keras
 * UpSampling2D(size=2, interpolation="bilinear") uses): x [batch, h, w, channels] -> y [batch, 2h, 2w, channels].
 * Output pixel o samples input coordinate (o + 0.5) / 2 - 0.5, clamped to [0, h - 1] at the borders
 * (TF clamps the coordinate of the lower neighbour to 0 and the upper to h - 1). */
void upsample2(int batch, int h, int w, int channels, const float *x, float *y);
/* Its adjoint: dy [batch, 2h, 2w, channels] -> dx [batch, h, w, channels] (overwritten). */
void upsample2_adjoint(int batch, int h, int w, int channels, const float *dy, float *dx);

/* Channel concatenation of two tensors with the same pixels (pixels = batch * height * width):
 * a [pixels, ca], b [pixels, cb] -> y [pixels, ca + cb]. */
void concat(size_t pixels, int ca, int cb, const float *a, const float *b, float *y);
/* y [pixels, count] = x[:, offset .. offset + count) of x [pixels, channels] (the adjoint of concat, per part). */
void slice(size_t pixels, int channels, int offset, int count, const float *x, float *y);
/* Inverse of slice for its gradient: y [pixels, channels] = 0 except y[:, offset .. offset+count) = x [pixels, count]. */
void unslice(size_t pixels, int channels, int offset, int count, const float *x, float *y);

/* Batch normalization without scale and center (Keras BatchNormalization(center=False, scale=False)), training mode:
 * statistics over every pixel of the batch, per channel: mean [channels], variance [channels] (biased, divided by
 * pixels, as Keras/TF use for normalising), inv_std [channels] = 1 / sqrt(variance + epsilon);
 * y = (x - mean) * inv_std. x, y: [pixels, channels]. Writes mean, variance, inv_std (for the moving averages and
 * the backward). */
void batch_norm_train(size_t pixels, int channels, float epsilon, const float *x, float *y, float *mean,
                      float *variance, float *inv_std);
/* Inference mode: y = (x - moving_mean) / sqrt(moving_variance + epsilon). */
void batch_norm_infer(size_t pixels, int channels, float epsilon, const float *x, const float *moving_mean,
                      const float *moving_variance, float *y);
/* Backward of batch_norm_train given its output y (= x_hat) and inv_std, dy -> dx, all [pixels, channels]:
 * dx = inv_std * (dy - mean(dy) - y * mean(dy * y)), means over the pixels per channel. */
void batch_norm_backward(size_t pixels, int channels, const float *y, const float *inv_std, const float *dy,
                         float *dx);
/* Backward of batch_norm_infer, dy -> dx [pixels, channels]: dx = dy / sqrt(moving_variance + epsilon). */
void batch_norm_infer_backward(size_t pixels, int channels, float epsilon, const float *moving_variance,
                               const float *dy, float *dx);
/* Keras moving averages (momentum 0.99): moving = momentum * moving + (1 - momentum) * batch value, where the
 * batch value of the variance is the UNBIASED one, variance * pixels / (pixels - 1) (variance as
 * batch_norm_train writes it; factor 1 when pixels == 1). That is what TF2 Keras does for the example's
 * 4-D NHWC inputs, through its default fused path (FusedBatchNormV3); see image_ops.c for the sources and
 * for Keras 3, which feeds the biased variance instead. */
void batch_norm_update_moving(int channels, float momentum, size_t pixels, const float *mean, const float *variance,
                              float *moving_mean, float *moving_variance);

/* The Keras DDIM example's sinusoidal embedding of the noise variance: x [batch] -> y [batch, dims] (dims even),
 * frequencies f_k = exp(linspace(log(min_frequency), log(max_frequency), dims / 2)), angular speeds 2 pi f_k,
 * y[b] = concat(sin(2 pi f x[b]), cos(2 pi f x[b])) (sin first, as the example's tf.concat([sin, cos], axis=3)). */
void sinusoidal_embedding(int batch, int dims, float min_frequency, float max_frequency, const float *x, float *y);
/* Nearest upsampling of a 1x1 map to h x w (the example's UpSampling2D(size=image_size, "nearest") of the
 * embedding): x [batch, channels] -> y [batch, pixels_per_image, channels], each pixel a copy. */
void upsample_nearest(int batch, size_t pixels_per_image, int channels, const float *x, float *y);
/* Its adjoint: dy [batch, pixels_per_image, channels] -> dx [batch, channels] = sum over the pixels. */
void upsample_nearest_adjoint(int batch, size_t pixels_per_image, int channels, const float *dy, float *dx);

#endif

/* diffusion.h: the diffusion schedules, as rates at a diffusion time t in
 * [0, 1] (0: the clean image, 1: pure noise):
 *   noisy = signal * image + noise_rate * noise
 *   the network is told `level` and predicts the noise;
 *   pred_image = (noisy - noise_rate * pred_noise) / signal
 * or (diffusion.prediction = "velocity", Salimans & Ho 2022, "Progressive
 * Distillation", variance-preserving schedules only) predicts v = signal *
 * noise - noise_rate * image, and pred_noise = noise_rate * noisy + signal * v,
 * pred_image = signal * noisy - noise_rate * v: no division by a signal rate
 * near 0, where an error in the predicted noise is magnified 1 / signal times;
 * its squared error is the noise's divided by signal^2, the image's times
 * 1 + SNR.
 * and the deterministic DDIM sampler re-noises each predicted image with the
 * predicted noise at the next time's rates: x = signal' pred_image +
 * noise_rate' pred_noise (diffusion.eta > 0 mixes in fresh noise: ddim_step
 * below). The schedules:
 *   none    the seed's: signal = noise_rate = 1, level = t^2 (noisy = image + noise)
 *   cosine  the Keras example's offset cosine: angle = acos(max_signal_rate) +
 *           t (acos(min_signal_rate) - acos(max_signal_rate)), signal = cos, noise_rate =
 *           sin, level = noise_rate^2
 *   linear  signal linear in t from max_signal_rate to min_signal_rate, noise_rate =
 *           sqrt(1 - signal^2) (variance preserving), level = noise_rate^2 */
#ifndef DDIM_DIFFUSION_H
#define DDIM_DIFFUSION_H

#include "runtime/config/config.h"

struct diffusion_rates {
    float signal, noise, level;
};

struct diffusion_rates diffusion_rates(const struct diffusion_config *d, float t);

/* One sampling step from the rates now to the rates next:
 *   x_next = image pred_image + noise pred_noise + fresh z,  z ~ N(0, 1).
 * With eta = 0, DDIM's deterministic step: image = signal', noise =
 * noise_rate', fresh = 0. With eta > 0 (Song et al. 2021, eq. 12, in rates):
 *   fresh = eta (noise_rate' / noise_rate) sqrt(1 - signal^2 / signal'^2)
 *   noise = sqrt(noise_rate'^2 - fresh^2)
 * so that the step keeps x_next's noise at noise_rate' (noise^2 + fresh^2 =
 * noise_rate'^2); eta = 1 gives DDPM's posterior variance. eta > 0 needs a
 * variance-preserving schedule (config_check_variant). */
struct ddim_step {
    float image, noise, fresh;
};
struct ddim_step ddim_step(struct diffusion_rates now, struct diffusion_rates next, double eta);

/* P2 weighting (Choi et al. 2022, "Perception Prioritized Training of
 * Diffusion Models", k = 1): a noise loss's weight at these rates,
 * (1 + SNR)^-gamma with SNR = signal^2 / noise_rate^2: near 1 where the
 * image is mostly noise (where a digit's shape is decided), down to
 * 1 / (1 + SNR)^gamma where it is mostly image (the cosine schedule's
 * max_signal_rate 0.95: SNR 9.3, weight 0.097 at gamma 1). gamma 0: 1. */
double p2_weight(struct diffusion_rates r, double gamma);

/* train.p2_sampling: diffusion times drawn with density proportional to
 * their P2 weight, p(t) = p2_weight(rates(t)) / Z on [0, 1), Z the weight's
 * mean over uniform t, instead of uniform times with weighted losses. The
 * plain loss's expected gradient is then the weighted one's divided by Z:
 * the same objective, with each batch spent where the weight is (at gamma
 * 2 on the cosine schedule the cleanest levels weigh 0.01 and cost as much
 * as the noisiest). Drawn by inverting the weight's cumulative integral,
 * tabulated by the trapezoid rule and interpolated linearly. */
#define P2_SAMPLER_INTERVALS 4096
struct p2_sampler {
    double cumulative[P2_SAMPLER_INTERVALS + 1]; /* the weight's integral from 0 to i / INTERVALS */
    double mean_weight;                          /* Z: cumulative[INTERVALS] */
};
void p2_sampler_init(struct p2_sampler *s, const struct diffusion_config *d, double gamma);
/* The time whose cumulative weight is u Z, for u in [0, 1). */
float p2_sample_time(const struct p2_sampler *s, double u);

/* diffusion.clip_denoised (DDPM's clipping, Ho et al. 2020): one pixel's
 * predicted image, when outside [low, high] (the pixels' range,
 * standardised), clipped to it and its predicted noise re-derived from the
 * noisy pixel x, noise = (x - signal image) / noise_rate, so that x =
 * signal image + noise_rate noise still holds. */
void clip_denoised(struct diffusion_rates now, float low, float high, float x, float *image, float *noise);

#endif

/* diffusion.h: the diffusion schedules, as rates at a diffusion time t in
 * [0, 1] (0: the clean image, 1: pure noise):
 *   noisy = signal * image + noise_rate * noise
 *   the network is told `level` and predicts the noise;
 *   pred_image = (noisy - noise_rate * pred_noise) / signal
 * and the deterministic DDIM sampler re-noises each predicted image with the
 * predicted noise at the next time's rates: x = signal' pred_image +
 * noise_rate' pred_noise. The schedules:
 *   none    the seed's: signal = noise_rate = 1, level = t^2 (noisy = image + noise)
 *   cosine  the Keras example's offset cosine: angle = acos(max_signal_rate) +
 *           t (acos(min_signal_rate) - acos(max_signal_rate)), signal = cos, noise_rate =
 *           sin, level = noise_rate^2
 *   linear  signal linear in t from max_signal_rate to min_signal_rate, noise_rate =
 *           sqrt(1 - signal^2) (variance preserving), level = noise_rate^2 */
#ifndef DDIM_DIFFUSION_H
#define DDIM_DIFFUSION_H

#include "config.h"

struct diffusion_rates {
    float signal, noise, level;
};

struct diffusion_rates diffusion_rates(const struct diffusion_config *d, float t);

#endif

/* softmax.h: softmax and its cross-entropy over rows of logits: the
 * classifier's loss (OP_SOFTMAX_CROSS_ENTROPY and its gradient, run by
 * executor.c) and its probabilities (classifier.c).
 *
 * Plain C: each row is computed in double with libm's exp and log after
 * subtracting the row's maximum (a max-subtracted log-sum-exp, finite for
 * any finite logits), and a batch sums its rows in order, so the results
 * depend on the arguments alone. Rows are short (10 classes): the cost is
 * nothing beside the network's. Arrays are row-major [rows, classes]. */
#ifndef DDIM_SOFTMAX_H
#define DDIM_SOFTMAX_H

#include <stddef.h>

/* The mean over rows of sum_j labels[r, j] (logsumexp(logits[r]) - logits[r, j]),
 * that is of -log softmax(logits[r])[label] for one-hot labels. */
float softmax_cross_entropy(size_t rows, size_t classes, const float *logits, const float *labels);

/* Its gradient in the logits, times dloss:
 * dlogits[r, j] = (softmax(logits[r])_j sum_k labels[r, k] - labels[r, j]) dloss / rows,
 * which for one-hot labels is (softmax - onehot) dloss / rows. */
void softmax_cross_entropy_backward(size_t rows, size_t classes, const float *logits, const float *labels,
                                    float dloss, float *dlogits);

/* probabilities[r] = softmax(logits[r]); each row sums to 1 (to rounding). */
void softmax_rows(size_t rows, size_t classes, const float *logits, float *probabilities);

#endif

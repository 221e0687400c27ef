/* The MNIST classifier the tests score samples with: trained once per test
 * process by `ddim-lab classifier` on 8,192 digits for one epoch (a few
 * seconds; about 97% accurate, enough for the metrics' known cases and
 * for runs that only need some classifier), into a temporary directory
 * removed at exit. */
#ifndef DDIM_TEST_CLASSIFIER_FILE_H
#define DDIM_TEST_CLASSIFIER_FILE_H

/* The classifier's path; fails the calling test if training fails. */
const char *test_classifier_file(void);

#endif

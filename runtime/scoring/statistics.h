/* statistics.h: what a figure measured over several seeds says: its mean,
 * standard deviation and 95% confidence interval for the mean (Student's t,
 * the seeds taken as independent draws), and for an ablation the same of
 * its paired differences to the reference (same seed, same data order and
 * initial noise), so that seed-to-seed variation shared by both cancels. */
#ifndef DDIM_STATISTICS_H
#define DDIM_STATISTICS_H

struct summary {
    int count;
    double mean;
    double sd;          /* sample standard deviation (n - 1); NAN for one value */
    double half_width;  /* of the 95% confidence interval mean +- half_width; NAN for one value */
};

/* The 0.975 quantile of Student's t with df degrees of freedom (df >= 1). */
double student_t_975(int df);

/* Summarises count values (count >= 1; NAN-free). */
struct summary summarise(const double *values, int count);

/* Whether the 95% interval of s excludes zero (never for one value). */
int excludes_zero(const struct summary *s);

#endif

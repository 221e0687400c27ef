/* interrupt.h: SIGINT and SIGTERM as a request to stop, not a kill.
 *
 * A run installs the handlers once; the handler only records the signal.
 * The training loop and the sampler ask interrupt_requested() between
 * steps, write what they have (the run's state, its files), mark the run
 * interrupted and exit with 128 + the signal (130 for SIGINT, 143 for
 * SIGTERM), as a shell reports a process the signal killed. A second
 * signal while stopping takes the default action: Ctrl-C twice kills. */
#ifndef DDIM_INTERRUPT_H
#define DDIM_INTERRUPT_H

/* Installs the handlers for SIGINT and SIGTERM. Returns 0, or -1. */
int interrupt_install(void);

/* The signal received since interrupt_install (SIGINT or SIGTERM), or 0. */
int interrupt_requested(void);

/* The exit status for the received signal: 128 + its number. */
int interrupt_exit_status(void);

#endif

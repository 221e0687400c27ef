/* SIGINT and SIGTERM recorded for the loops to see (interrupt.h). */
#include <signal.h>
#include <string.h>
#include "runtime/base/interrupt.h"

static volatile sig_atomic_t received;

static void record_signal(int signal_number)
{
    received = signal_number;
}

int interrupt_install(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = record_signal;
    sigemptyset(&action.sa_mask);
    /* SA_RESETHAND: the second Ctrl-C kills, for a stop that hangs. */
    action.sa_flags = SA_RESETHAND;
    return sigaction(SIGINT, &action, NULL) || sigaction(SIGTERM, &action, NULL) ? -1 : 0;
}

int interrupt_requested(void)
{
    return received;
}

int interrupt_exit_status(void)
{
    return 128 + received;
}

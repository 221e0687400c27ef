/* The tests' shared classifier (see test_classifier_file.h). The Makefile
 * defines DDIM_LAB_BINARY as the binary of the same build. */
#include <stdio.h>
#include <stdlib.h>
#include "test_classifier_file.h"
#include "test_util.h"

#ifndef DDIM_LAB_BINARY
#define DDIM_LAB_BINARY "build/ddim-lab"
#endif

static char directory[] = "/tmp/ddim-lab-classifier-XXXXXX";
static char path[sizeof directory + 32];

static void remove_directory(void)
{
    remove_tree(directory);
}

const char *test_classifier_file(void)
{
    if (path[0])
        return path;
    if (!mkdtemp(directory))
        fail_msg("mkdtemp %s failed", directory);
    atexit(remove_directory);
    char command[512];
    snprintf(path, sizeof path, "%s/classifier.ddim", directory);
    snprintf(command, sizeof command, "%s classifier --max-images 8192 --epochs 1 --test-images 100 --out %s "
             ">%s/log 2>&1", DDIM_LAB_BINARY, path, directory);
    if (system(command) != 0) {
        path[0] = '\0';
        fail_msg("%s failed (its output is in %s/log)", command, directory);
    }
    return path;
}

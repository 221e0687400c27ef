/* text.h: a growing string for the files written whole (CSVs rewritten
 * after every epoch, the report). Out of memory leaves the text as it was
 * and sets failed, which the writer checks once before writing. */
#ifndef DDIM_TEXT_H
#define DDIM_TEXT_H

#include <stddef.h>

struct text {
    char *text;        /* NUL-terminated once anything was appended */
    size_t length, capacity;
    int failed;        /* an append ran out of memory */
};

void text_append(struct text *t, const char *format, ...) __attribute__((format(printf, 2, 3)));
void text_free(struct text *t);

#endif

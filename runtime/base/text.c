/* The growing string (see text.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "runtime/base/text.h"

void text_append(struct text *t, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int need = vsnprintf(NULL, 0, format, args);
    va_end(args);
    if (need < 0 || t->failed) {
        t->failed = 1;
        return;
    }
    if (t->length + (size_t)need + 1 > t->capacity) {
        size_t capacity = (t->capacity + (size_t)need + 1) * 2;
        char *text = realloc(t->text, capacity);
        if (!text) {
            t->failed = 1;
            return;
        }
        t->text = text;
        t->capacity = capacity;
    }
    va_start(args, format);
    vsnprintf(t->text + t->length, t->capacity - t->length, format, args);
    va_end(args);
    t->length += (size_t)need;
}

void text_free(struct text *t)
{
    free(t->text);
    *t = (struct text){ 0 };
}

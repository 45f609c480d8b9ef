/* Test helper: all diagnostics of a list as one string, as printed. */
#ifndef PESIM_TESTS_DIAG_TEXT_H
#define PESIM_TESTS_DIAG_TEXT_H

#include <stdio.h>
#include <stdlib.h>

#include "pesim.h"

/* Caller frees. */
static inline char *diag_text(const pesim_diags *d)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return NULL;
    pesim_diags_print(d, f);
    fclose(f);
    return buf;
}

#endif

/* Test helpers: all diagnostics of a list as one string, as printed; their
 * codes. */
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

/* The codes of a list's diagnostics, by name, separated by spaces
 * ("cfg.range cfg.missing"). Caller frees. */
static inline char *diag_codes(const pesim_diags *d)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return NULL;
    for (size_t i = 0; i < pesim_diags_count(d); i++)
        fprintf(f, "%s%s", i ? " " : "", pesim_diag_code_name(pesim_diags_get(d, i)->code));
    fclose(f);
    return buf;
}

#endif

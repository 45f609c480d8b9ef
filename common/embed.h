/* Files compiled into the library by tools/embed.c (presets, networks). */
#ifndef PESIM_COMMON_EMBED_H
#define PESIM_COMMON_EMBED_H

#include <stddef.h>

struct pesim_embedded {
    const char *name; /* base name without .yaml; NULL ends a table */
    const char *data; /* NUL-terminated text */
    size_t len;
};

/* The entry called `name`, or NULL. */
const struct pesim_embedded *pesim_embed_find(const struct pesim_embedded *t,
                                              const char *name);

#endif

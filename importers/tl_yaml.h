/* importers/ internal: small libyaml helpers shared by the Timeloop
 * architecture and mapping readers. Not a public header. */
#ifndef PESIM_IMPORTERS_TL_YAML_H
#define PESIM_IMPORTERS_TL_YAML_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfg.h"
#include "pesim/types.h"

static inline yaml_node_t *tl_node(yaml_document_t *doc, int id)
{
    return yaml_document_get_node(doc, id);
}

static inline size_t tl_len(const yaml_node_t *n)
{
    return n && n->type == YAML_SEQUENCE_NODE
               ? (size_t)(n->data.sequence.items.top - n->data.sequence.items.start)
               : 0;
}

static inline yaml_node_t *tl_item(yaml_document_t *doc, const yaml_node_t *n, size_t i)
{
    return tl_node(doc, n->data.sequence.items.start[i]);
}

static inline yaml_node_t *tl_get(yaml_document_t *doc, const yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const char *k = pesim_cfg_scalar(tl_node(doc, p->key));
        if (k && strcmp(k, key) == 0)
            return tl_node(doc, p->value);
    }
    return NULL;
}

/* A growing text buffer (the pesim YAML the readers write). */
struct tl_buf {
    char *s;
    size_t n, cap;
    bool nomem;
};

static inline void tl_printf(struct tl_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static inline void tl_printf(struct tl_buf *b, const char *fmt, ...)
{
    if (b->nomem)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->n;
        int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? room : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->nomem = true;
            return;
        }
        if (b->s && (size_t)k < room) {
            b->n += (size_t)k;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->n + (size_t)k + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->nomem = true;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

/* A Timeloop list of data spaces (keep, bypass: "Weights", "Inputs",
 * "Outputs", any case of the first letter; empty or absent: none), or'ed
 * into out; anything else an error at `path`. */
static inline void tl_ds_list(struct cfg_ctx *ctx, yaml_document_t *doc, yaml_node_t *n,
                              const char *path, bool *out)
{
    static const char *const names[PESIM_DS_COUNT] = {"eights", "nputs", "utputs"};
    static const char first[PESIM_DS_COUNT] = {'w', 'i', 'o'};
    if (!n || (n->type == YAML_SCALAR_NODE && !pesim_cfg_scalar(n)[0]))
        return;
    if (n->type != YAML_SEQUENCE_NODE) {
        pesim_cfg_error(ctx, n, path, "got %s, expected a list of data spaces (Weights, "
                        "Inputs, Outputs)", pesim_cfg_kind_name(n));
        return;
    }
    for (size_t i = 0; i < tl_len(n); i++) {
        yaml_node_t *it = tl_item(doc, n, i);
        const char *s = pesim_cfg_scalar(it);
        int ds = -1;
        for (int k = 0; s && s[0] && k < PESIM_DS_COUNT; k++)
            if ((s[0] | 0x20) == first[k] && !strcmp(s + 1, names[k]))
                ds = k;
        if (ds < 0)
            pesim_cfg_error(ctx, it, path, "got '%.40s', expected Weights, Inputs or Outputs",
                            s ? s : pesim_cfg_kind_name(it));
        else
            out[ds] = true;
    }
}

#endif

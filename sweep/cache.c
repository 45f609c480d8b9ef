/* A chained hash table behind one mutex: lookups are rare beside a mapper
 * search, so one lock costs nothing measurable. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "sweep/cache.h"

#define BUCKETS 4096

struct entry {
    struct entry *next;
    char *key;
    struct pesim_layer_result r;
};

struct sweep_cache {
    pthread_mutex_t lock;
    size_t hits, lookups;
    struct entry *bucket[BUCKETS];
};

struct sweep_cache *sweep_cache_create(void)
{
    struct sweep_cache *c = calloc(1, sizeof *c);
    if (c)
        pthread_mutex_init(&c->lock, NULL);
    return c;
}

void sweep_cache_destroy(struct sweep_cache *c)
{
    if (!c)
        return;
    for (size_t b = 0; b < BUCKETS; b++)
        for (struct entry *e = c->bucket[b], *n; e; e = n) {
            n = e->next;
            free(e->key);
            free(e);
        }
    pthread_mutex_destroy(&c->lock);
    free(c);
}

void sweep_cache_key(const pesim_sweep *s, size_t i, const pesim_dataflow *df,
                     const struct pesim_layer *l, char *buf, size_t size)
{
    const uint32_t *digit = sweep_point(s, i);
    char layer[PESIM_LAYER_KEY_MAX];
    pesim_sim_layer_key(l, layer);
    size_t n = (size_t)snprintf(buf, size, "%s|%s", pesim_df_name(df), layer);
    for (size_t k = 0; k < s->naxes && n < size; k++)
        if (s->axes[k].kind == AXIS_ARCH)
            n += (size_t)snprintf(buf + n, size - n, "|%s", s->axes[k].value[digit[k]]);
}

static size_t bucket_of(const char *key)
{
    return (size_t)(pesim_fnv1a(key, strlen(key), PESIM_FNV_INIT) % BUCKETS);
}

bool sweep_cache_get(struct sweep_cache *c, const char *key, struct pesim_layer_result *out)
{
    bool found = false;
    pthread_mutex_lock(&c->lock);
    for (struct entry *e = c->bucket[bucket_of(key)]; e && !found; e = e->next)
        if (strcmp(e->key, key) == 0) {
            *out = e->r;
            found = true;
        }
    c->hits += found;
    c->lookups++;
    pthread_mutex_unlock(&c->lock);
    return found;
}

void sweep_cache_put(struct sweep_cache *c, const char *key, const struct pesim_layer_result *r)
{
    struct entry *e = malloc(sizeof *e);
    char *k = strdup(key);
    if (!e || !k) {
        free(e);
        free(k);
        return;
    }
    e->key = k;
    e->r = *r;
    size_t b = bucket_of(key);
    pthread_mutex_lock(&c->lock);
    for (struct entry *x = c->bucket[b]; x; x = x->next)
        if (strcmp(x->key, key) == 0) { /* another thread was first */
            pthread_mutex_unlock(&c->lock);
            free(k);
            free(e);
            return;
        }
    e->next = c->bucket[b];
    c->bucket[b] = e;
    pthread_mutex_unlock(&c->lock);
}

void sweep_cache_reused(struct sweep_cache *c, size_t n)
{
    pthread_mutex_lock(&c->lock);
    c->hits += n;
    c->lookups += n;
    pthread_mutex_unlock(&c->lock);
}

void sweep_cache_stats(struct sweep_cache *c, size_t *hits, size_t *lookups)
{
    pthread_mutex_lock(&c->lock);
    *hits = c->hits;
    *lookups = c->lookups;
    pthread_mutex_unlock(&c->lock);
}

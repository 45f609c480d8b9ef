// Helpers of the SystemC tests: a check macro that counts failures, the
// native run of a layer, and its JSON as the CLI writes it.
#ifndef PESIM_SC_TEST_COMMON_H
#define PESIM_SC_TEST_COMMON_H

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "driver.h"

static int failures = 0;
#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                                    \
        }                                                                                  \
    } while (0)
#define CHECK_EQ(a, b)                                                                     \
    do {                                                                                   \
        unsigned long long x_ = (unsigned long long)(a), y_ = (unsigned long long)(b);     \
        if (x_ != y_) {                                                                    \
            std::fprintf(stderr, "%s:%d: %s == %s: %llu != %llu\n", __FILE__, __LINE__, #a, \
                         #b, x_, y_);                                                      \
            failures++;                                                                    \
        }                                                                                  \
    } while (0)

static inline size_t df_index(const char *name)
{
    for (size_t i = 0; i < pesim_df_count(); i++)
        if (std::strcmp(pesim_df_name(pesim_df_get(i)), name) == 0)
            return i;
    std::abort();
}

static inline size_t layer_index(const struct pesim_workload &wl, const char *name)
{
    for (size_t i = 0; i < wl.count; i++)
        if (std::strcmp(wl.layers[i].name, name) == 0)
            return i;
    std::abort();
}

static inline std::string json_of(const struct pesim_arch &arch, const struct pesim_workload &wl,
                                  const char *df, const struct pesim_layer_result &r)
{
    struct pesim_run run = {};
    run.dataflow = df;
    run.layers = &r;
    run.n = 1;
    pesim_sim_total(&arch, &r, 1, &run.total);
    struct pesim_report_ctx ctx = {&arch, wl.name, NULL, PESIM_OBJECTIVE_LATENCY, false};
    char *buf = nullptr;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    pesim_report_run(f, PESIM_FORMAT_JSON, &ctx, &run);
    std::fclose(f);
    std::string s(buf, len);
    std::free(buf);
    return s;
}

// The layer mapped by the dataflow's mapper and run on the event engine.
static inline struct pesim_layer_result native_run(const struct pesim_arch &arch,
                                                   const struct pesim_layer &l, const char *df)
{
    struct pesim_mapping m;
    struct pesim_layer_result r;
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_sim_map(pesim_df_find(df), &arch, &l, PESIM_OBJECTIVE_LATENCY, PESIM_ENGINE_EVENT, &m, d);
    if (!rc)
        rc = pesim_sim_layer_engine(&arch, &l, &m, PESIM_ENGINE_EVENT, "native", &r, d);
    pesim_diags_print(d, stderr);
    pesim_diags_destroy(d);
    if (rc)
        std::abort();
    return r;
}

static inline void load(const char *arch_name, struct pesim_arch &arch, struct pesim_workload &wl)
{
    pesim_diags *d = pesim_diags_create();
    /* an uncompressed link, so that a memory's bytes are the words' exactly
     * (eyeriss-v1 codes its feature maps: the coded bytes, rounded up per
     * transfer, reach the memory then) */
    if (pesim_arch_load(arch_name, &arch, d) || pesim_workload_load("alexnet", &wl, d) ||
        pesim_arch_set(&arch, "dram.compression=none", d)) {
        pesim_diags_print(d, stderr);
        std::abort();
    }
    pesim_diags_destroy(d);
}

#endif

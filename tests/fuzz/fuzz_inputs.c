/* libFuzzer target for every input parser: the bytes are tried as an
 * architecture, a workload and a mapping; an input of two YAML documents
 * (split at a line "---") is read as a workload then a mapping, and when
 * both load, the mapping is checked and, when valid and small, analysed
 * and run through the event engine. The same bytes go through the Timeloop
 * readers: a spec (then the second document as a Timeloop mapping or
 * map.txt for it, and the whole input as an ERT pricing it); and as a
 * SCALE-Sim .cfg with a topology CSV as the second document, run when
 * small. Nothing may crash, leak or trip a sanitizer.
 * scripts/fuzz.sh builds it and runs it from tests/fuzz/corpus for 30 s
 * (scripts/test.sh, so CI); `scripts/fuzz.sh 600` runs longer
 * (docs/config.md, "Robustness"). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pesim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch a;
    struct pesim_workload wl;
    struct pesim_mapping m;
    int arch_rc = pesim_arch_load_string(text, size, "f.yaml", &a, d);
    if (!arch_rc) {
        pesim_arch_set(&a, "dram.bandwidth_gbps=1", d);
        pesim_arch_validate(&a, "f.yaml", d);
    }
    size_t wl_len = size, map_off = 0;
    for (size_t i = 0; i + 5 <= size; i++)
        if (memcmp(data + i, "\n---\n", 5) == 0) {
            wl_len = i + 1;
            map_off = i + 5;
            break;
        }
    int wl_rc = pesim_workload_load_string(text, wl_len, "f.yaml", &wl, d);
    int map_rc = pesim_mapping_load_string(text + map_off, size - map_off, "f.yaml", &m, d);
    if (!wl_rc) {
        if (!map_rc && wl.count > 0) {
            /* a general-form mapping of five or six levels runs on the
             * shipped general presets of that many */
            unsigned nl = pesim_mapping_levels(&m);
            const char *name = nl == 5 ? "eyeriss-v1-spads" : nl == 6 ? "simba-like"
                                                                       : "generic-16x16";
            struct pesim_arch base;
            if (!pesim_arch_load(name, &base, d) &&
                !pesim_map_check(&base, &wl.layers[0], &m, "f.yaml", d) &&
                pesim_layer_macs(&wl.layers[0]) < 100000) {
                struct pesim_layer_result r;
                pesim_sim_layer_engine(&base, &wl.layers[0], &m,
                                       base.general ? PESIM_ENGINE_ANALYSIS : PESIM_ENGINE_EVENT,
                                       "f", &r, d);
            }
        }
        pesim_workload_select(&wl, "conv", d);
        pesim_workload_free(&wl);
    }
    struct pesim_arch ta;
    struct pesim_tl_arch tl;
    char *yaml = NULL;
    if (!pesim_import_tl_arch(text, wl_len, "f.yaml", &ta, &tl, &yaml, d)) {
        struct pesim_tl_dims dims;
        struct pesim_mapping_set set = {0};
        char *my = NULL;
        pesim_import_tl_dims(NULL, 0, NULL, &dims, d);
        if (!pesim_import_tl_mapping(text + map_off, size - map_off, "f.yaml", &ta, &tl, &dims,
                                     &set, &my, d))
            pesim_mapping_set_free(&set);
        free(my);
        struct pesim_ert_names n;
        memset(&n, 0, sizeof n);
        for (unsigned lv = 0; lv < tl.nlevels; lv++) {
            n.level[lv] = tl.component[lv];
            n.block_words[lv] = tl.block_words[lv];
        }
        n.mac = tl.mac;
        pesim_energy_price_ert(text, size, "f.yaml", &n, &ta, d);
        free(yaml);
    }
    /* A SCALE-Sim .cfg and topology: when both load, the first layer's
     * im2col view maps with the .cfg's dataflow and runs when small. */
    struct pesim_arch sa;
    struct pesim_workload st;
    if (!pesim_import_scalesim_cfg(text, wl_len, "f.cfg", &sa, NULL, d) &&
        !pesim_import_scalesim(text + map_off, size - map_off, "f.csv", &st, d)) {
        const pesim_dataflow *df = pesim_df_find(sa.dataflow);
        struct pesim_mapping sm;
        if (df && st.count > 0 && pesim_layer_macs(&st.layers[0]) < 100000 &&
            !pesim_df_map(df, &sa, &st.layers[0], &sm, d)) {
            struct pesim_layer_result r;
            pesim_sim_layer_engine(&sa, &st.layers[0], &sm, PESIM_ENGINE_EVENT, "f", &r, d);
        }
        pesim_workload_free(&st);
    }
    pesim_diags_destroy(d);
    return 0;
}

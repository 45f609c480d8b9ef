/* libFuzzer target for the ONNX importer: the bytes are read as an ONNX
 * model; nothing may crash, leak or trip a sanitizer, and a model that
 * imports must write pesim YAML that loads back to the same layers (the
 * round trip `pesim import` relies on; a mismatch traps).
 * scripts/fuzz.sh builds it (with ONNX, docs/workloads.md) and runs it
 * from tests/fuzz/corpus-onnx for 30 s (scripts/test.sh, so CI);
 * `scripts/fuzz.sh 600` runs longer (docs/config.md, "Robustness"). */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pesim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pesim_diags *d = pesim_diags_create();
    struct pesim_workload wl = {0};
    if (pesim_import_onnx(data, size, "f.onnx", &wl, d) == 0) {
        if (!wl.name[0])
            strcpy(wl.name, "f");
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (f) {
            pesim_workload_write_yaml(&wl, f);
            fclose(f);
            struct pesim_workload back = {0};
            if (pesim_workload_load_string(buf, len, "f.yaml", &back, d) != 0 ||
                back.count != wl.count ||
                memcmp(back.layers, wl.layers, wl.count * sizeof *wl.layers) != 0) {
                pesim_diags_print(d, stderr);
                fprintf(stderr, "%s", buf);
                __builtin_trap();
            }
            pesim_workload_free(&back);
            free(buf);
        }
        pesim_workload_free(&wl);
    }
    pesim_diags_destroy(d);
    return 0;
}

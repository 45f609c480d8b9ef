/* Accelergy ERT/ART import (energy/accelergy.h): real Accelergy outputs
 * land in the right costs, malformed ones give golden file:line:col errors,
 * the shipped 45 nm preset prices a hand-worked layer, and an ART changes
 * the iso-area split as computed by hand. Fixtures in tests/energy/data/
 * (each cites the public file it was copied from). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "../config/diag_text.h"
#include "../dataflows/fixtures.h"
#include "config/cfg.h"
#include "energy/accelergy.h"

#define DATA "tests/energy/data/"

static char *slurp(const char *path, size_t *len)
{
    char *t = pesim_cfg_read_file(path, len);
    assert_non_null(t);
    return t;
}

/* simba_like-ERT.yaml through simba_like-map.yaml, by hand:
 *   mac        LMAC compute                                 0.561
 *   rf_read    PEInputBuffer read, mean of 4 variants:
 *              (0.055 + 0.193 + 0.098 + 0.237) / 4        = 0.14575
 *   rf_write   PEAccuBuffer write {1, 1}                    0.237
 *   noc        2 x PEWeightRegs access = 2 x 0.009        = 0.018
 *              (the arch file's noc: 0.5 overrides it)
 *   glb_read   GlobalBuffer read (all variants 1.049)       1.049
 *   glb_write  0.5 x 1.049                                = 0.5245
 *   dram       0.25 x 512                                 = 128
 *   leakage    GlobalBuffer idle + 16 x PEInputBuffer idle
 *              = 0.012 + 16 x 0.018                       = 0.3
 * and eyeriss_like-ART.yaml's areas per byte:
 *   RF  (379.68 + 3634.68 + 414.68) um^2 / (24 + 384 + 32) B = 10.066
 *   GLB (774388 + 60965.6) um^2 / (102400 + 8192) B
 *   rf_per_glb_byte = their ratio = 1.33263... */
#define RF_PER_GLB ((4429.04 / 440.0) / (835353.6 / 110592.0))

static void test_import_real_tables(void **state)
{
    (void)state;
    struct pesim_arch a;
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_arch_load(DATA "simba-arch.yaml", &a, d);
    char *msg = diag_text(d);
    if (rc)
        print_error("%s", msg);
    free(msg);
    assert_int_equal(rc, 0);
    assert_int_equal(a.energy.unit, PESIM_ENERGY_PJ);
    assert_string_equal(pesim_energy_unit_name(a.energy.unit), "pJ");
    assert_float_equal(a.energy.mac, 0.561, 1e-12);
    assert_float_equal(a.energy.rf_read, 0.14575, 1e-12);
    assert_float_equal(a.energy.rf_write, 0.237, 1e-12);
    assert_float_equal(a.energy.noc, 0.5, 0);
    assert_float_equal(a.energy.glb_read, 1.049, 1e-12);
    assert_float_equal(a.energy.glb_write, 0.5245, 1e-12);
    assert_float_equal(a.energy.dram_read, 128, 1e-12);
    assert_float_equal(a.energy.dram_write, 128, 1e-12);
    assert_float_equal(a.energy.leakage_per_cycle, 0.3, 1e-12);
    assert_float_equal(a.area.rf_per_glb_byte, RF_PER_GLB, 1e-12);
    assert_float_equal(a.area.rf_per_glb_byte, 1.3326321596, 1e-9);
    pesim_diags_destroy(d);
}

/* Version 0.2's mapping form and ERT_summary give the same import. */
static void test_v02_and_summary(void **state)
{
    (void)state;
    size_t len;
    char *ert = slurp(DATA "eyeriss_like-ERT-v02-excerpt.yaml", &len);
    static const char map[] =
        "accelergy_map:\n"
        "  mac: {component: eyeriss_like.PE.mac, action: mac_random}\n"
        "  rf_read: {component: ifmap_spad, action: read}\n"
        "  rf_write: {component: ifmap_spad, action: fill, arguments: "
        "{data_delta: 0}}\n"
        "  noc: {component: mac, action: idle}\n"
        "  glb_read: {component: mac, action: mac_gated}\n"
        "  glb_write: {component: mac, action: mac_reused}\n"
        "  dram_read: {component: ifmap_spad, action: update, scale: 100}\n"
        "  dram_write: {component: ifmap_spad, action: idle, scale: 1000}\n";
    struct pesim_acc_text e = {ert, len, "v02.yaml"};
    struct pesim_acc_text m = {map, strlen(map), "m.yaml"};
    struct pesim_arch a = fx_arch(2, 2);
    struct pesim_energy_cfg out = a.energy;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_accelergy_import(&e, NULL, &m, &a, &out, NULL, d), 0);
    assert_float_equal(out.mac, 1.207, 1e-12);
    /* (0.138 + 0.566 + 0.255 + 0.684) / 4 */
    assert_float_equal(out.rf_read, 0.41075, 1e-12);
    /* fill with data_delta 0: (0.085 + 0.202) / 2 */
    assert_float_equal(out.rf_write, 0.1435, 1e-12);
    assert_float_equal(out.noc, 0.007, 1e-12);
    assert_float_equal(out.glb_read, 0.044, 1e-12);
    assert_float_equal(out.glb_write, 1.032, 1e-12);
    /* (0.085 + 0.513 + 0.202 + 0.631) / 4 x 100 */
    assert_float_equal(out.dram_read, 35.775, 1e-9);
    assert_float_equal(out.dram_write, 28, 1e-9);
    assert_float_equal(out.leakage_per_cycle, 0, 0); /* not mapped: kept */
    assert_int_equal(out.unit, PESIM_ENERGY_PJ);

    /* ERT_summary (excerpt of the same exercise's ERT_summary.yaml). */
    static const char summary[] =
        "ERT_summary:\n"
        "  version: 0.3\n"
        "  table_summary:\n"
        "  - name: eyeriss_like.PE[0..167].mac\n"
        "    actions:\n"
        "    - name: mac_random\n"
        "      energy: 2.2\n"
        "    - name: idle\n"
        "      energy: 0.066\n"
        "    primitive_estimation(s):\n"
        "    - name: eyeriss_like.PE[0..167].mac\n"
        "      estimator: Aladdin_table\n"
        "  - name: eyeriss_like.PE[0..167].ifmap_spad\n"
        "    actions:\n"
        "    - name: write\n"
        "      average_energy: 0.146\n"
        "      max_energy: 0.237\n"
        "      min_energy: 0.055\n"
        "    - name: read\n"
        "      average_energy: 0.146\n"
        "      max_energy: 0.237\n"
        "      min_energy: 0.055\n"
        "    - name: idle\n"
        "      energy: 0.018\n";
    static const char map2[] =
        "accelergy_map:\n"
        "  mac: {component: mac, action: mac_random}\n"
        "  rf_read: {component: ifmap_spad, action: read}\n"
        "  rf_write: {component: ifmap_spad, action: write}\n"
        "  noc: {component: mac, action: idle}\n"
        "  glb_read: {component: ifmap_spad, action: idle}\n"
        "  glb_write: {component: ifmap_spad, action: idle}\n"
        "  dram_read: {component: ifmap_spad, action: read, scale: 1000}\n"
        "  dram_write: {component: ifmap_spad, action: write, scale: 1000}\n";
    struct pesim_acc_text s = {summary, strlen(summary), "s.yaml"};
    struct pesim_acc_text m2 = {map2, strlen(map2), "m2.yaml"};
    assert_int_equal(pesim_accelergy_import(&s, NULL, &m2, &a, &out, NULL, d), 0);
    assert_float_equal(out.mac, 2.2, 1e-12);
    assert_float_equal(out.rf_read, 0.146, 1e-12);
    assert_float_equal(out.dram_write, 146, 1e-9);
    assert_int_equal(pesim_diags_count(d), 0);
    pesim_diags_destroy(d);
    free(ert);
}

/* The map of the golden cases below: every cost on one component. */
static const char good_map[] =
    "accelergy_map:\n"
    "  mac: {component: a.mac, action: mac_random}\n"
    "  rf_read: {component: a.mac, action: mac_random}\n"
    "  rf_write: {component: a.mac, action: mac_random}\n"
    "  noc: {component: a.mac, action: mac_random}\n"
    "  glb_read: {component: a.mac, action: mac_random}\n"
    "  glb_write: {component: a.mac, action: mac_random}\n"
    "  dram_read: {component: a.mac, action: mac_random}\n"
    "  dram_write: {component: a.mac, action: mac_random}\n";

struct golden {
    const char *ert;
    const char *map; /* NULL: good_map */
    const char *want;
};

static const struct golden goldens[] = {
    /* no ERT key */
    {"tables: []\n", NULL,
     "e.yaml:1:1: error: no 'ERT' key, expected an Accelergy energy reference "
     "table (ERT: {version, tables}) or ERT_summary\n"},
    /* tables not a list */
    {"ERT:\n  version: 0.3\n  tables: 5\n", NULL,
     "e.yaml:3:11: error: ERT.tables: got a scalar, expected a list of "
     "components\n"},
    /* an action without energy */
    {"ERT:\n  version: 0.3\n  tables:\n  - name: a.mac\n    actions:\n"
     "    - name: mac_random\n      arguments: null\n", NULL,
     "e.yaml:6:7: error: ERT.tables[0].actions[0]: action 'mac_random' has "
     "no energy, expected energy: a number of pJ\n"},
    /* negative energy */
    {"ERT:\n  version: 0.3\n  tables:\n  - name: a.mac\n    actions:\n"
     "    - {name: mac_random, arguments: null, energy: -2.2}\n", NULL,
     "e.yaml:6:51: error: ERT.tables[0].actions[0].energy: got -2.2, "
     "expected a number of pJ >= 0\n"},
    /* bad YAML */
    {"ERT:\n  tables: [\n", NULL,
     "e.yaml:3:1: error: YAML syntax: did not find expected node content "
     "while parsing a flow node, expected valid YAML\n"},
    /* a component the table does not have, with the nearest name */
    {"ERT:\n  version: 0.3\n  tables:\n  - name: a.PE[0..3].mac\n    actions:\n"
     "    - {name: mac_random, arguments: null, energy: 2.2}\n"
     "  - name: a.glb\n    actions:\n"
     "    - {name: read, arguments: null, energy: 6}\n",
     "accelergy_map:\n"
     "  mac: {component: a.mak, action: mac_random}\n"
     "  rf_read: {component: mac, action: read}\n"
     "  rf_write: [{component: mac, action: mac_random}, "
     "{component: glb, action: read, arguments: {bank: 2}}]\n"
     "  noc: {component: mac, action: mac_random}\n"
     "  glb_read: {component: glb, action: read}\n"
     "  glb_write: {component: glb, action: read}\n"
     "  dram_read: {component: glb, action: read}\n"
     "  dram_write: {component: glb, action: read}\n",
     "m.yaml:2:20: error: accelergy_map.mac.component: 'a.mak' is not a "
     "component of e.yaml, expected one of a.PE[0..3].mac, a.glb; did you "
     "mean 'a.PE[0..3].mac'?\n"
     "m.yaml:3:37: error: accelergy_map.rf_read.action: 'read' is not an "
     "action of 'a.PE[0..3].mac' in e.yaml, expected one of mac_random\n"
     "m.yaml:4:94: error: accelergy_map.rf_write[1].arguments: no 'read' "
     "variant of 'a.glb' has these arguments, expected names and values as "
     "in e.yaml\n"},
};

static void test_golden_errors(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(2, 2);
    for (size_t i = 0; i < sizeof goldens / sizeof goldens[0]; i++) {
        const struct golden *g = &goldens[i];
        const char *map = g->map ? g->map : good_map;
        struct pesim_acc_text e = {g->ert, strlen(g->ert), "e.yaml"};
        struct pesim_acc_text m = {map, strlen(map), "m.yaml"};
        struct pesim_energy_cfg out = a.energy;
        pesim_diags *d = pesim_diags_create();
        assert_int_equal(pesim_accelergy_import(&e, NULL, &m, &a, &out, NULL, d),
                         PESIM_E_INVALID);
        char *msg = diag_text(d);
        if (strcmp(msg, g->want) != 0)
            print_error("case %zu:\n got: %s\nwant: %s", i, msg, g->want);
        assert_string_equal(msg, g->want);
        /* Nothing half-imported. */
        assert_memory_equal(&out, &a.energy, sizeof out);
        free(msg);
        pesim_diags_destroy(d);
    }
}

/* Through an arch file: an unreadable table is reported at the arch's key,
 * a table's own errors under its path, and the CLI exits 2. */
static void test_arch_errors(void **state)
{
    (void)state;
    static const char arch[] =
        "name: t\nclock_mhz: 100\n"
        "pe_array: {rows: 2, cols: 2, scratchpad: {shared: 64}}\n"
        "glb: {capacity_bytes: 4096}\ndram: {bandwidth_gbps: 2}\n"
        "energy:\n  unit: normalized\n  accelergy:\n"
        "    ert: nope-ERT.yaml\n    art: simba_like-ERT.yaml\n"
        "    map: simba_like-map.yaml\n";
    struct pesim_arch a;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_arch_load_string(arch, strlen(arch), DATA "x.yaml", &a, d),
                     PESIM_E_INVALID);
    char *msg = diag_text(d);
    assert_string_equal(msg,
        DATA "x.yaml:7:9: error: energy.unit: got normalized beside "
        "energy.accelergy, expected pJ (Accelergy tables are in pJ)\n");
    free(msg);
    pesim_diags_destroy(d);

    static const char arch2[] =
        "name: t\nclock_mhz: 100\n"
        "pe_array: {rows: 2, cols: 2, scratchpad: {shared: 64}}\n"
        "glb: {capacity_bytes: 4096}\ndram: {bandwidth_gbps: 2}\n"
        "energy:\n  accelergy:\n"
        "    ert: nope-ERT.yaml\n    art: simba_like-ERT.yaml\n"
        "    map: simba_like-map.yaml\n";
    d = pesim_diags_create();
    assert_int_equal(pesim_arch_load_string(arch2, strlen(arch2), DATA "x.yaml", &a, d),
                     PESIM_E_INVALID);
    msg = diag_text(d);
    assert_string_equal(msg,
        DATA "x.yaml:8:10: error: energy.accelergy.ert: cannot read '" DATA
        "nope-ERT.yaml' (No such file or directory), expected a readable "
        "Accelergy ERT file\n");
    free(msg);
    pesim_diags_destroy(d);

    /* An ERT given as the ART: the ART reader says what it expected. */
    static const char arch3[] =
        "name: t\nclock_mhz: 100\n"
        "pe_array: {rows: 2, cols: 2, scratchpad: {shared: 64}}\n"
        "glb: {capacity_bytes: 4096}\ndram: {bandwidth_gbps: 2}\n"
        "energy:\n  accelergy: {ert: simba_like-ERT.yaml, "
        "art: simba_like-ERT.yaml}\n";
    d = pesim_diags_create();
    assert_int_equal(pesim_arch_load_string(arch3, strlen(arch3), DATA "x.yaml", &a, d),
                     PESIM_E_INVALID);
    msg = diag_text(d);
    assert_string_equal(msg,
        DATA "x.yaml:7:14: error: energy.accelergy.map: missing required key, "
        "expected a path (ert and map are required)\n");
    free(msg);
    pesim_diags_destroy(d);

    /* --set cannot name a table. */
    assert_int_equal(pesim_arch_load("eyeriss-v1", &a, NULL), 0);
    d = pesim_diags_create();
    assert_int_equal(pesim_arch_set(&a, "energy.accelergy.ert=x.yaml", d),
                     PESIM_E_INVALID);
    pesim_diags_set_file(d, 0, "--set"); /* as the CLI names it */
    msg = diag_text(d);
    assert_string_equal(msg, "--set:1:22: error: energy.accelergy.ert: cannot be "
                             "assigned after loading, expected it in the "
                             "architecture file\n");
    assert_int_equal(pesim_diags_get(d, 0)->code, PESIM_DIAG_CFG_VALUE);
    free(msg);
    pesim_diags_destroy(d);

    /* The CLI: exit status 2 and the message on stderr. */
    const char *build = getenv("PESIM_BUILD_ROOT");
    assert_non_null(build);
    char path[512];
    snprintf(path, sizeof path, "%s/acc-arch-bad.yaml", build);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(arch2, f);
    fclose(f);
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "%s/cli/pesim run --arch %s --workload alexnet --layer CONV1 "
             "--dataflow rs 2>&1 >/dev/null",
             build, path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char out[4096] = "";
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 2);
    assert_non_null(strstr(out, "acc-arch-bad.yaml:8:10: error: "
                                "energy.accelergy.ert: cannot read"));
    remove(path);
}

/* The shipped 45 nm preset: its costs, and the hand-counted 1-D layer of
 * tests/energy/test_energy.c priced with them:
 *   DRAM  9 reads + 4 updates = 13 x 487.5      = 6337.5
 *   GLB   13 reads + 13 writes = 26 x 5          =  130
 *   NoC   13 words x 5                           =   65
 *   RF    36 reads + 21 writes = 57 x 2.5        =  142.5
 *   MAC   12 x 0.86                              =   10.32
 *   total                                          6685.32 pJ */
static void test_horowitz_preset(void **state)
{
    (void)state;
    struct pesim_arch p;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_arch_load("eyeriss-v1-45nm", &p, d), 0);
    assert_int_equal(p.energy.unit, PESIM_ENERGY_PJ);
    assert_float_equal(p.energy.mac, 4 * 0.2 + 2 * 0.03, 1e-12);
    assert_float_equal(p.energy.rf_read, 10.0 / 4, 1e-12);
    assert_float_equal(p.energy.rf_write, 10.0 / 4, 1e-12);
    assert_float_equal(p.energy.noc, 2 * 10.0 / 4, 1e-12);
    assert_float_equal(p.energy.glb_read, 20.0 / 4, 1e-12);
    assert_float_equal(p.energy.glb_write, 20.0 / 4, 1e-12);
    assert_float_equal(p.energy.dram_read, (1300 + 2600) / 2.0 / 4, 1e-12);
    assert_float_equal(p.energy.dram_write, 487.5, 1e-12);
    assert_float_equal(p.energy.leakage_per_cycle, 0, 0);
    assert_float_equal(p.area.rf_per_glb_byte, PESIM_ISO_RF_AREA, 0);

    /* The same preset read from its file resolves the tables on disk. */
    struct pesim_arch q;
    assert_int_equal(pesim_arch_load("configs/eyeriss-v1-45nm.yaml", &q, d), 0);
    assert_memory_equal(&p.energy, &q.energy, sizeof p.energy);

    struct pesim_arch a = fx_arch(4, 4);
    a.energy = p.energy;
    pesim_arch_expand(&a);
    struct pesim_layer l = fx_1d_layer();
    struct pesim_mapping m = fx_1d_mapping();
    struct pesim_analysis r;
    assert_int_equal(pesim_map_analyze(&a, &l, &m, &r), 0);
    struct pesim_energy e;
    pesim_energy_compute(&a, &r, 12, &e);
    assert_float_equal(e.by_level[PESIM_EL_DRAM], 6337.5, 1e-9);
    assert_float_equal(e.by_level[PESIM_EL_GLB], 130, 1e-9);
    assert_float_equal(e.by_level[PESIM_EL_NOC], 65, 1e-9);
    assert_float_equal(e.by_level[PESIM_EL_RF], 142.5, 1e-9);
    assert_float_equal(e.by_level[PESIM_EL_MAC], 10.32, 1e-9);
    assert_float_equal(e.total, 6685.32, 1e-9);
    pesim_diags_destroy(d);
}

/* Iso-area with the ART's factor (1.33263...) instead of 1.6, on the
 * iso-256 storage of simba-arch.yaml (128 kB GLB, 512 B RF x 256 PEs):
 * no-local-reuse gets all of it as GLB:
 *   default: floor(131072 + 1.6 x 256 x 512)       = 340787
 *   ART:     floor(131072 x (1 + 1.3326321596...)) = 305742 */
static void test_iso_area_art(void **state)
{
    (void)state;
    struct pesim_arch base, out;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_arch_load(DATA "simba-arch.yaml", &base, d), 0);
    const pesim_dataflow *nlr = pesim_df_find("nlr");
    assert_int_equal(pesim_df_iso_area(nlr, &base, &out), 0);
    assert_int_equal(out.glb.capacity_bytes, 305742);
    base.area.rf_per_glb_byte = PESIM_ISO_RF_AREA;
    assert_int_equal(pesim_df_iso_area(nlr, &base, &out), 0);
    assert_int_equal(out.glb.capacity_bytes, 340787);
    /* An arch built by hand (area 0) gets the default too. */
    base.area.rf_per_glb_byte = 0;
    assert_int_equal(pesim_df_iso_area(nlr, &base, &out), 0);
    assert_int_equal(out.glb.capacity_bytes, 340787);
    pesim_diags_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_real_tables),
        cmocka_unit_test(test_v02_and_summary),
        cmocka_unit_test(test_golden_errors),
        cmocka_unit_test(test_arch_errors),
        cmocka_unit_test(test_horowitz_preset),
        cmocka_unit_test(test_iso_area_art),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

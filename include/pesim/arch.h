/* pesim — architecture description (PE array, NoC, GLB, DRAM, energy).
 * Loaded from YAML (docs/config.md lists every key); a plain value struct
 * that the analysis, the mapper and the engines read. */
#ifndef PESIM_ARCH_H
#define PESIM_ARCH_H

#include "pesim/error.h"
#include "pesim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PESIM_NAME_MAX 64

struct pesim_rf_cfg {
    bool shared;                          /* one RF for all data spaces */
    uint64_t shared_words;                /* capacity when shared */
    uint64_t words[PESIM_DS_COUNT];       /* per data space otherwise */
};

struct pesim_pe_array_cfg {
    uint32_t rows; /* y */
    uint32_t cols; /* x */
    uint32_t mac_latency_cycles;
    struct pesim_rf_cfg rf;
};

struct pesim_noc_cfg {
    uint32_t width_words; /* words per cycle on the bus from the GLB */
    bool multicast;       /* one GLB read reaches every PE that needs it */
};

struct pesim_glb_cfg {
    uint64_t capacity_bytes;
    uint32_t banks;
    uint32_t bank_words_per_cycle;
    uint32_t read_ports;
    uint32_t write_ports;
    bool holds[PESIM_DS_COUNT]; /* data spaces the GLB may store */
    uint64_t max_bytes[PESIM_DS_COUNT]; /* per data space cap; 0 = none */
    bool double_buffer;         /* tiles take twice their size */
};

struct pesim_dram_cfg {
    double bandwidth_gbps;   /* GB/s = 1e9 bytes per second */
    uint32_t latency_cycles; /* core cycles (latency_ns is converted) */
};

/* Energy per action, in `unit` (normalized to a MAC, or pJ). Costs are per
 * word access; the shipped defaults are the book's normalized costs for
 * 16-bit accesses (MAC 1, RF 1, NoC 2, GLB 6, DRAM 200). */
enum pesim_energy_unit { PESIM_ENERGY_NORMALIZED, PESIM_ENERGY_PJ };

struct pesim_energy_cfg {
    enum pesim_energy_unit unit;
    double mac;
    double rf_read, rf_write;
    double noc;          /* per word delivered to (or moved between) PEs */
    double glb_read, glb_write;
    double dram_read, dram_write;
    double leakage_per_cycle; /* whole accelerator, per cycle */
};

/* Storage area for the iso-area model (docs/dataflows.md, "Iso-area"):
 * what one RF byte costs in GLB bytes. Default PESIM_ISO_RF_AREA (1.6); an
 * Accelergy ART sets it (docs/energy.md). */
struct pesim_area_cfg {
    double rf_per_glb_byte;
};

struct pesim_arch {
    char name[PESIM_NAME_MAX];
    double clock_mhz;
    uint32_t word_bits[PESIM_DS_COUNT];
    struct pesim_pe_array_cfg pe_array;
    struct pesim_noc_cfg noc[PESIM_DS_COUNT];
    struct pesim_glb_cfg glb;
    struct pesim_dram_cfg dram;
    struct pesim_energy_cfg energy;
    struct pesim_area_cfg area;
};

/* Load an architecture from a YAML file, or from a shipped preset when
 * `name_or_path` names one ("eyeriss-v1"). Every problem is appended to
 * `diags` (file:line:col) and PESIM_E_INVALID returned; PESIM_E_NOTFOUND
 * when neither a preset nor a readable file; *out is complete on 0. */
int pesim_arch_load(const char *name_or_path, struct pesim_arch *out,
                    pesim_diags *diags);
/* Same, from YAML text in memory; `file` is the name used in messages. */
int pesim_arch_load_string(const char *text, size_t len, const char *file,
                           struct pesim_arch *out, pesim_diags *diags);
/* Apply one "dotted.key=value" override (value is YAML: a scalar or a flow
 * list), validated like the file; errors are reported as "--set:1:col".
 * On error *arch is unchanged. */
int pesim_arch_set(struct pesim_arch *arch, const char *assignment,
                   pesim_diags *diags);
/* Cross-key checks after overrides (e.g. the GLB holds a data space that
 * has no word size). Appends to diags; 0 or PESIM_E_INVALID. */
int pesim_arch_validate(const struct pesim_arch *arch, const char *file,
                        pesim_diags *diags);

/* A numeric architecture key (integer, real or bool) by its dotted path,
 * as --set names it ("pe_array.rows"). 0 or PESIM_E_NOTFOUND. */
int pesim_arch_get_number(const struct pesim_arch *arch, const char *path, double *out);
/* Call each(path, ctx) for every numeric key path, in schema order. */
void pesim_arch_number_keys(void (*each)(const char *path, void *ctx), void *ctx);

/* Derived quantities. */
uint32_t pesim_arch_pes(const struct pesim_arch *arch);
/* Bytes a word of ds occupies in memory (word_bits rounded up). */
uint32_t pesim_arch_word_bytes(const struct pesim_arch *arch, enum pesim_ds ds);
/* DRAM bytes per core cycle (bandwidth / clock). */
double pesim_arch_dram_bytes_per_cycle(const struct pesim_arch *arch);

/* Names of the shipped presets (configs/NAME.yaml), NULL-terminated. */
const char *const *pesim_arch_presets(void);

#ifdef __cplusplus
}
#endif
#endif

/* Iso-area re-split of storage per dataflow (docs/dataflows.md). The RF
 * area per byte relative to the GLB's is calibrated on the ISCA 2016 study:
 * its no-local-reuse design, which has no RF, gets a buffer up to 2.6 times
 * the 128 kB of the baseline (512 B of RF per PE, 256 PEs), so 128 kB of RF
 * buy 1.6 times their bytes of GLB. An architecture with an Accelergy ART
 * carries its own factor (area.rf_per_glb_byte). */
#include <math.h>

#include "dataflows/template.h"

int pesim_df_iso_area(const pesim_dataflow *df, const struct pesim_arch *base,
                      struct pesim_arch *out)
{
    const struct pesim_rf_cfg *rf = &base->pe_array.rf;
    if (base->general)
        return PESIM_E_UNSUPPORTED; /* the split is of the shorthand's RF and GLB */
    if (rf->shared)
        return PESIM_E_INVALID;
    *out = *base;
    uint64_t bytes[PESIM_DS_COUNT], rf_bytes = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        bytes[ds] = pesim_arch_word_bytes(base, ds);
        rf_bytes += rf->words[ds] * bytes[ds];
    }
    double pes = pesim_arch_pes(base);
    /* 0 in an arch built by hand rather than loaded: the default. */
    double rf_area = base->area.rf_per_glb_byte > 0 ? base->area.rf_per_glb_byte
                                                    : PESIM_ISO_RF_AREA;
    double area = (double)base->glb.capacity_bytes + rf_area * pes * (double)rf_bytes;
    unsigned kept = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        kept += df->rf_keeps[ds];
    uint64_t used = 0;
    if (kept < PESIM_DS_COUNT) { /* all RF bytes to what the dataflow keeps */
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
            out->pe_array.rf.words[ds] = df->rf_keeps[ds] ? rf_bytes / kept / bytes[ds] : 0;
            used += out->pe_array.rf.words[ds] * bytes[ds];
        }
    } else {
        used = rf_bytes;
    }
    out->glb.capacity_bytes = (uint64_t)floor(area - rf_area * pes * (double)used);
    pesim_arch_expand(out);
    return 0;
}

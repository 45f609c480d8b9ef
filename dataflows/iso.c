/* Iso-area re-split of storage per dataflow (docs/dataflows.md). The RF
 * area per byte relative to the GLB's is calibrated on the ISCA 2016 study:
 * its no-local-reuse design, which has no RF, gets a buffer up to 2.6 times
 * the 128 kB of the baseline (512 B of RF per PE, 256 PEs), so 128 kB of RF
 * buy 1.6 times their bytes of GLB. An architecture with an Accelergy ART
 * carries its own factor (area.rf_per_glb_byte).
 *
 * Each dataflow gets the RF the study gives it (§VI-A, template
 * iso_rf_words: one weight per PE for WS, one psum for the OS variants,
 * none for NLR), or, where the study says nothing (IS), the whole base RF
 * for what it keeps; a dataflow that keeps all three data spaces (RS) keeps
 * the base RF, shared or split. The GLB gets the rest of the area. */
#include <math.h>

#include "dataflows/template.h"

const pesim_dataflow *pesim_df_iso(const pesim_dataflow *df)
{
    return df->iso_variant ? df->iso_variant : df;
}

int pesim_df_iso_area(const pesim_dataflow *df, const struct pesim_arch *base,
                      struct pesim_arch *out)
{
    const struct pesim_rf_cfg *rf = &base->pe_array.rf;
    if (base->general)
        return PESIM_E_UNSUPPORTED; /* the split is of the shorthand's RF and GLB */
    *out = *base;
    uint64_t bytes[PESIM_DS_COUNT], rf_bytes = 0, widest = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        bytes[ds] = pesim_arch_word_bytes(base, ds);
        widest = bytes[ds] > widest ? bytes[ds] : widest;
        rf_bytes += rf->shared ? 0 : rf->words[ds] * bytes[ds];
    }
    if (rf->shared) /* a shared word may hold any data space: the widest */
        rf_bytes = rf->shared_words * widest;
    double pes = pesim_arch_pes(base);
    /* 0 in an arch built by hand rather than loaded: the default. */
    double rf_area = base->area.rf_per_glb_byte > 0 ? base->area.rf_per_glb_byte
                                                    : PESIM_ISO_RF_AREA;
    double area = (double)base->glb.capacity_bytes + rf_area * pes * (double)rf_bytes;
    unsigned kept = 0, sized = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        kept += df->rf_keeps[ds];
        sized += df->iso_rf_words[ds] > 0;
    }
    uint64_t used = rf_bytes;
    if (kept < PESIM_DS_COUNT) {
        used = 0;
        out->pe_array.rf.shared = false;
        out->pe_array.rf.shared_words = 0;
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
            uint64_t w = 0;
            if (df->rf_keeps[ds])
                w = sized ? df->iso_rf_words[ds] : rf_bytes / kept / bytes[ds];
            out->pe_array.rf.words[ds] = w;
            used += w * bytes[ds];
        }
    }
    out->glb.capacity_bytes = (uint64_t)floor(area - rf_area * pes * (double)used);
    pesim_arch_expand(out);
    return 0;
}

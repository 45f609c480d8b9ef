/* pesim — cycle-level simulator of spatial DNN accelerators.
 * Umbrella header: include this one. */
#ifndef PESIM_H
#define PESIM_H

#include "pesim/types.h"
#include "pesim/error.h"
#include "pesim/arch.h"
#include "pesim/workload.h"
#include "pesim/import.h"
#include "pesim/mapping.h"
#include "pesim/analysis.h"
#include "pesim/energy.h"
#include "pesim/dataflow.h"
#include "pesim/sim.h"
#include "pesim/kernel.h"
#include "pesim/report.h"
#include "pesim/sweep.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Library version, "MAJOR.MINOR.PATCH". */
const char *pesim_version(void);

#ifdef __cplusplus
}
#endif
#endif

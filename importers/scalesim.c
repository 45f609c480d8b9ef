/* Placeholder: the scalesim importer is being written (issue 5). */
#include "pesim/import.h"

int pesim_import_scalesim(const char *text, size_t len, const char *file,
                    struct pesim_workload *out, pesim_diags *diags)
{
    (void)text;
    (void)len;
    (void)out;
    pesim_diags_add(diags, file, 0, 0, "the scalesim importer is not built yet");
    return PESIM_E_UNSUPPORTED;
}

/* pesim_import_onnx_batch in a build without ONNX support (protobuf-c or the
 * onnx.proto of python3-onnx not found). */
#include "pesim/import.h"

int pesim_import_onnx_batch(const uint8_t *data, size_t len, const char *file,
                            struct pesim_onnx_batch *batch, struct pesim_workload *out,
                            pesim_diags *diags)
{
    if (batch)
        batch->symbolic = false;
    (void)data;
    (void)len;
    (void)out;
    pesim_diags_addc(diags, PESIM_DIAG_IMPORT_UNSUPPORTED, file, 0, 0,
                     "this pesim was built without ONNX support, expected a build "
                     "with protobuf-c (Debian: protobuf-c-compiler libprotobuf-c-dev "
                     "python3-onnx)");
    return PESIM_E_UNSUPPORTED;
}

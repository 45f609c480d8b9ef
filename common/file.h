/* common/file: how pesim reads an input file and writes an output file.
 * Every reader and writer of the library and the CLI goes through these,
 * so that the guarantees of docs/cli.md ("Files") hold in one place:
 *
 * - an input is read whole, at most PESIM_FILE_MAX_BYTES, never a folder,
 *   and noted in the command's diags (pesim_diags_note_input);
 * - an output is written into a temporary file beside the target and
 *   renamed over it only when complete, so a failed command leaves the old
 *   file (or none); a character device or FIFO (/dev/null, /dev/stdout, a
 *   pipe) is written straight, never replaced; a folder, a block device or
 *   any file the command read is refused; missing parent folders are made,
 *   and removed again when the output is given up.
 * Not a public header. */
#ifndef PESIM_COMMON_FILE_H
#define PESIM_COMMON_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pesim/error.h"

/* The largest input pesim reads: 64 MiB (the largest shipped network file
 * is 40 kB; a 1,000-point sweep's results are ~1 MB) — but an ONNX model
 * carries its weights (ResNet-50 98 MB, VGG-16 528 MB), so models may be
 * up to 1 GiB. */
#define PESIM_FILE_MAX_BYTES ((size_t)64 << 20)
#define PESIM_FILE_MAX_MODEL_BYTES ((size_t)1 << 30)

/* FNV-1a 64-bit, continuing from `h` (start with PESIM_FNV_INIT). */
#define PESIM_FNV_INIT 0xcbf29ce484222325ull
uint64_t pesim_fnv1a(const void *data, size_t len, uint64_t h);

/* Read all of `path` into a NUL-terminated buffer (*text, owned by the
 * caller; *len bytes before the NUL) and note it in `d` as an input.
 * `what` names the file in messages ("the sweep spec"). Errors, each with
 * a diagnostic at the path: PESIM_E_IO (cannot open or read: errno's
 * words), PESIM_E_INVALID (a folder; more than PESIM_FILE_MAX_BYTES),
 * PESIM_E_NOMEM. With `what` NULL a file that cannot be opened gives
 * PESIM_E_IO with errno set and no diagnostic (the caller words its own,
 * or falls back to a preset); the other errors are reported all the same.
 * `d` may be NULL (tools and tests). */
int pesim_file_read(const char *path, const char *what, char **text, size_t *len,
                    pesim_diags *d);
/* The same with another cap than PESIM_FILE_MAX_BYTES. */
int pesim_file_read_max(const char *path, const char *what, size_t max_bytes, char **text,
                        size_t *len, pesim_diags *d);

/* An output file being written. */
typedef struct pesim_outfile pesim_outfile;

enum {
    PESIM_OUT_SYNC = 1u << 0, /* fsync the file and its folder before rename */
    /* folders made for the output stay when it is given up: a probe of
     * whether the output can be written, before work that writes beside
     * it (a sweep's journal) */
    PESIM_OUT_KEEP_DIRS = 1u << 1,
};

/* Open `path` for writing; *f is where to write. Refused with
 * PESIM_E_INVALID and a diagnostic: a folder, a block device, a path that
 * ends in '/', any regular file noted as an input in `d` (same device and
 * inode). PESIM_E_IO when the folders or the file cannot be made. */
int pesim_out_open(const char *path, unsigned flags, pesim_outfile **out, FILE **f,
                   pesim_diags *d);
/* Finish: flush (and sync), then rename the temporary file over the
 * target. 0, or PESIM_E_IO with a diagnostic (the target is untouched).
 * Frees `o` in every case. */
int pesim_out_commit(pesim_outfile *o, pesim_diags *d);
/* Give up: the temporary file is removed, the target untouched, and the
 * folders pesim_out_open made for it removed. Frees `o`; NULL is a no-op. */
void pesim_out_abort(pesim_outfile *o);

/* Make `dir` and its missing parents (mode 0777 less the umask). 0, or
 * PESIM_E_IO with a diagnostic; PESIM_E_INVALID when a part is not a
 * folder. */
int pesim_mkdirs(const char *dir, pesim_diags *d);

#endif

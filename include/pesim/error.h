/* pesim — error codes and diagnostics. */
#ifndef PESIM_ERROR_H
#define PESIM_ERROR_H

#include <stdarg.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Every error code, once: name, value, message. Functions return 0 or one
 * of the negative PESIM_E_* values. */
#define PESIM_ERRNO_MAP(X)                                              \
    X(NOMEM, -1, "out of memory")                                      \
    X(IO, -2, "cannot read or write a file")                           \
    X(INVALID, -3, "invalid input")                                     \
    X(NOTFOUND, -4, "not found")                                        \
    X(NOFIT, -5, "mapping does not fit the buffers")                   \
    X(RANGE, -6, "value out of range")                                  \
    X(NOMAP, -7, "no valid mapping")                                    \
    X(SIM, -8, "simulation failure")                                    \
    X(UNSUPPORTED, -9, "not supported")

enum pesim_errno {
    PESIM_OK = 0,
#define PESIM_ERRNO_ENUM(name, value, msg) PESIM_E_##name = (value),
    PESIM_ERRNO_MAP(PESIM_ERRNO_ENUM)
#undef PESIM_ERRNO_ENUM
};

/* "PESIM_E_NOFIT" style name and a one-line message; "unknown error" for
 * values not in the map. Static strings. */
const char *pesim_err_name(int err);
const char *pesim_strerror(int err);

/* A list of diagnostics, each "file:line:col: error: message".
 * Loaders append every error they find instead of stopping at the first, so
 * that a user sees all of them in one run. Positions are 1-based; line 0
 * means "no position" (printed as "file: error: ..."). */
typedef struct pesim_diags pesim_diags;

struct pesim_diag {
    const char *file; /* owned by the list */
    unsigned line;
    unsigned col;
    const char *msg; /* owned by the list */
};

/* Create an empty list; NULL when out of memory. */
pesim_diags *pesim_diags_create(void);
void pesim_diags_destroy(pesim_diags *d);
/* Append one error; the message is printf-formatted. Returns 0 or
 * PESIM_E_NOMEM (the list then keeps what it had). */
int pesim_diags_add(pesim_diags *d, const char *file, unsigned line,
                    unsigned col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
int pesim_diags_vadd(pesim_diags *d, const char *file, unsigned line,
                     unsigned col, const char *fmt, va_list ap);
size_t pesim_diags_count(const pesim_diags *d);
const struct pesim_diag *pesim_diags_get(const pesim_diags *d, size_t i);
/* Print every diagnostic, one per line, in the order they were added. */
void pesim_diags_print(const pesim_diags *d, FILE *out);

/* The files a command read. Every reader of an input file (architecture,
 * workload, mapping, energy table, sweep spec, report input, merge part)
 * goes through pesim_file_read, which notes the file here: its path, its
 * identity (device and inode) and the FNV-1a hash of the bytes read. A
 * command's list is what its outputs must never overwrite
 * (pesim_out_open) and what a resumed sweep must find unchanged. */
struct pesim_input {
    const char *path; /* owned by the list */
    unsigned long long dev, ino, size;
    unsigned long long hash; /* FNV-1a 64 of the content */
};
/* Note one input; a file already noted (same device and inode) is not
 * added again. 0 or PESIM_E_NOMEM. */
int pesim_diags_note_input(pesim_diags *d, const struct pesim_input *in);
size_t pesim_diags_ninputs(const pesim_diags *d);
const struct pesim_input *pesim_diags_input(const pesim_diags *d, size_t i);
/* Append every diagnostic and input of `src` to `dst` (a loader that
 * collects into a list of its own and then reports into the caller's).
 * 0 or PESIM_E_NOMEM. */
int pesim_diags_append(pesim_diags *dst, const pesim_diags *src);

#ifdef __cplusplus
}
#endif
#endif

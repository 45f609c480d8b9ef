#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "pesim/error.h"

const char *pesim_err_name(int err)
{
    switch (err) {
    case PESIM_OK:
        return "PESIM_OK";
#define NAME_CASE(name, value, msg)                                             \
    case PESIM_E_##name:                                                        \
        return "PESIM_E_" #name;
        PESIM_ERRNO_MAP(NAME_CASE)
#undef NAME_CASE
    }
    return "PESIM_E_UNKNOWN";
}

const char *pesim_strerror(int err)
{
    switch (err) {
    case PESIM_OK:
        return "success";
#define MSG_CASE(name, value, msg)                                              \
    case PESIM_E_##name:                                                        \
        return msg;
        PESIM_ERRNO_MAP(MSG_CASE)
#undef MSG_CASE
    }
    return "unknown error";
}

static const char *const code_names[PESIM_DIAG_COUNT] = {
#define CODE_NAME(name, str, what) str,
    PESIM_DIAG_MAP(CODE_NAME)
#undef CODE_NAME
};

static const char *const code_whats[PESIM_DIAG_COUNT] = {
#define CODE_WHAT(name, str, what) what,
    PESIM_DIAG_MAP(CODE_WHAT)
#undef CODE_WHAT
};

const char *pesim_diag_code_name(enum pesim_diag_code code)
{
    return (unsigned)code < PESIM_DIAG_COUNT ? code_names[code] : NULL;
}

const char *pesim_diag_code_what(enum pesim_diag_code code)
{
    return (unsigned)code < PESIM_DIAG_COUNT ? code_whats[code] : NULL;
}

int pesim_diag_code_parse(const char *name, enum pesim_diag_code *out)
{
    for (unsigned i = 0; name && i < PESIM_DIAG_COUNT; i++)
        if (strcmp(code_names[i], name) == 0) {
            *out = (enum pesim_diag_code)i;
            return 0;
        }
    return PESIM_E_NOTFOUND;
}

struct pesim_diags {
    struct pesim_diag *items;
    size_t count, cap;
    struct pesim_input *inputs;
    size_t ninputs, inputs_cap;
};

pesim_diags *pesim_diags_create(void) { return calloc(1, sizeof(pesim_diags)); }

void pesim_diags_destroy(pesim_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++) {
        free((char *)d->items[i].file);
        free((char *)d->items[i].msg);
    }
    for (size_t i = 0; i < d->ninputs; i++)
        free((char *)d->inputs[i].path);
    free(d->inputs);
    free(d->items);
    free(d);
}

static char *dup_or_empty(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    char *p = malloc(n + 1);
    if (p) {
        if (n)
            memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

int pesim_diags_vaddc(pesim_diags *d, enum pesim_diag_code code, const char *file,
                      unsigned line, unsigned col, const char *fmt, va_list ap)
{
    if (!d)
        return 0; /* callers that do not want messages pass NULL */
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        struct pesim_diag *items = realloc(d->items, cap * sizeof *items);
        if (!items)
            return PESIM_E_NOMEM;
        d->items = items;
        d->cap = cap;
    }
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *msg = malloc(n > 0 ? (size_t)n + 1 : 1);
    char *f = dup_or_empty(file);
    if (!msg || !f) {
        free(msg);
        free(f);
        return PESIM_E_NOMEM;
    }
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    d->items[d->count++] = (struct pesim_diag){f, line, col, msg, code};
    return 0;
}

int pesim_diags_addc(pesim_diags *d, enum pesim_diag_code code, const char *file,
                     unsigned line, unsigned col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = pesim_diags_vaddc(d, code, file, line, col, fmt, ap);
    va_end(ap);
    return rc;
}

int pesim_diags_vadd(pesim_diags *d, const char *file, unsigned line,
                     unsigned col, const char *fmt, va_list ap)
{
    return pesim_diags_vaddc(d, PESIM_DIAG_ERROR, file, line, col, fmt, ap);
}

int pesim_diags_add(pesim_diags *d, const char *file, unsigned line,
                    unsigned col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = pesim_diags_vaddc(d, PESIM_DIAG_ERROR, file, line, col, fmt, ap);
    va_end(ap);
    return rc;
}

size_t pesim_diags_set_code(pesim_diags *d, size_t from, enum pesim_diag_code code)
{
    size_t n = 0;
    for (size_t i = from; d && i < d->count; i++)
        if (d->items[i].code == PESIM_DIAG_ERROR) {
            d->items[i].code = code;
            n++;
        }
    return n;
}

int pesim_diags_set_file(pesim_diags *d, size_t from, const char *file)
{
    for (size_t i = from; d && i < d->count; i++)
        if (!d->items[i].file[0]) {
            char *f = dup_or_empty(file);
            if (!f)
                return PESIM_E_NOMEM;
            free((char *)d->items[i].file);
            d->items[i].file = f;
        }
    return 0;
}

size_t pesim_diags_count(const pesim_diags *d) { return d ? d->count : 0; }

const struct pesim_diag *pesim_diags_get(const pesim_diags *d, size_t i)
{
    return d && i < d->count ? &d->items[i] : NULL;
}

/* `s` with its control characters shown (common/text.h): a message
 * quotes names from inputs, which must not break the one-line-per-error
 * form or drive the terminal. */
static void put_visible(FILE *out, const char *s)
{
    size_t n = strlen(s) * 4 + 1;
    char small[512], *buf = n <= sizeof small ? small : malloc(n);
    fputs(buf ? pesim_visible(buf, n, s) : s, out);
    if (buf != small)
        free(buf);
}

void pesim_diags_print(const pesim_diags *d, FILE *out)
{
    for (size_t i = 0; d && i < d->count; i++) {
        const struct pesim_diag *g = &d->items[i];
        put_visible(out, g->file[0] ? g->file : "pesim");
        if (g->line)
            fprintf(out, ":%u:%u", g->line, g->col);
        fputs(": error: ", out);
        put_visible(out, g->msg);
        fputc('\n', out);
    }
}

int pesim_diags_note_input(pesim_diags *d, const struct pesim_input *in)
{
    if (!d)
        return 0;
    for (size_t i = 0; i < d->ninputs; i++)
        if (d->inputs[i].dev == in->dev && d->inputs[i].ino == in->ino)
            return 0;
    if (d->ninputs == d->inputs_cap) {
        size_t cap = d->inputs_cap ? d->inputs_cap * 2 : 8;
        struct pesim_input *v = realloc(d->inputs, cap * sizeof *v);
        if (!v)
            return PESIM_E_NOMEM;
        d->inputs = v;
        d->inputs_cap = cap;
    }
    char *path = dup_or_empty(in->path);
    if (!path)
        return PESIM_E_NOMEM;
    d->inputs[d->ninputs] = *in;
    d->inputs[d->ninputs++].path = path;
    return 0;
}

size_t pesim_diags_ninputs(const pesim_diags *d) { return d ? d->ninputs : 0; }

const struct pesim_input *pesim_diags_input(const pesim_diags *d, size_t i)
{
    return d && i < d->ninputs ? &d->inputs[i] : NULL;
}

int pesim_diags_append(pesim_diags *dst, const pesim_diags *src)
{
    for (size_t i = 0; src && i < src->count; i++) {
        const struct pesim_diag *g = &src->items[i];
        if (pesim_diags_addc(dst, g->code, g->file, g->line, g->col, "%s", g->msg))
            return PESIM_E_NOMEM;
    }
    for (size_t i = 0; src && i < src->ninputs; i++)
        if (pesim_diags_note_input(dst, &src->inputs[i]))
            return PESIM_E_NOMEM;
    return 0;
}

/* Output of the commands: a failed run never leaves a half-written -o file. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/file.h"

int pesim_cli_output(const char *path, pesim_cli_writer write,
                     const void *data, pesim_diags *diags)
{
    if (!path || strcmp(path, "-") == 0) {
        int rc = write(stdout, data);
        if (fflush(stdout) != 0 || rc == PESIM_E_IO) {
            pesim_diags_addc(diags, PESIM_DIAG_FILE_IO, "<stdout>", 0, 0, "write failed: %s",
                             strerror(errno));
            return PESIM_E_IO;
        }
        return rc;
    }

    /* common/file: atomic for a regular file, straight to a device or
     * FIFO, never over a folder or a file this command read. */
    pesim_outfile *of;
    FILE *f;
    int rc = pesim_out_open(path, 0, &of, &f, diags);
    if (rc)
        return rc;
    rc = write(f, data);
    if (rc) {
        pesim_out_abort(of);
        return rc;
    }
    return pesim_out_commit(of, diags);
}

/* The options that answer a diagnostic, by its code. */
static const struct {
    enum pesim_diag_code code;
    const char *hint;
} hints[] = {
    {PESIM_DIAG_SWEEP_RESUME, ", or run again with --fresh"},
};

void pesim_cli_note_batch(const char *file, const struct pesim_onnx_batch *b)
{
    if (b->param[0])
        fprintf(stderr, "%s: note: input '%s' has a symbolic batch ('%s'): batch 1, "
                        "--batch N for another\n", file, b->input, b->param);
    else
        fprintf(stderr, "%s: note: input '%s' has an unknown batch (dim 0): batch 1, "
                        "--batch N for another\n", file, b->input);
}

void pesim_cli_print_diags(const pesim_diags *d, FILE *out)
{
    pesim_diags *shown = pesim_diags_create();
    for (size_t i = 0; shown && i < pesim_diags_count(d); i++) {
        const struct pesim_diag *g = pesim_diags_get(d, i);
        const char *hint = "";
        for (size_t k = 0; k < sizeof hints / sizeof hints[0]; k++)
            if (hints[k].code == g->code)
                hint = hints[k].hint;
        if (pesim_diags_addc(shown, g->code, g->file, g->line, g->col, "%s%s", g->msg, hint)) {
            pesim_diags_destroy(shown);
            shown = NULL;
        }
    }
    pesim_diags_print(shown ? shown : d, out); /* out of memory: without the hints */
    pesim_diags_destroy(shown);
}

/* A shell word: as is when it holds only safe characters, else in single
 * quotes (a quote inside becomes '\''). */
static void shell_word(FILE *f, const char *s)
{
    if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                        "_-+=.,:/@%") == strlen(s)) {
        fputs(s, f);
        return;
    }
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    }
    fputc('\'', f);
}

char *pesim_cli_command_line(const char *cmd, int argc, char **argv)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fputs(cmd, f);
    for (int i = 0; i < argc; i++) {
        fputc(' ', f);
        shell_word(f, argv[i]);
    }
    if (fclose(f)) {
        free(buf);
        return NULL;
    }
    return buf;
}

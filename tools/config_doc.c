/* pesim-config-doc [--check] FILE.md... — regenerates the schema tables between
 * "<!-- schema:NAME -->" and "<!-- /schema:NAME -->" in FILE.md from the
 * schema tables compiled into the library (docs/config.md). With --check,
 * only reports whether the file is up to date (exit 1 when it is not). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfg.h"

static int update(const char *path, int check)
{
    size_t len = 0;
    char *text = pesim_cfg_read_file(path, &len);
    if (!text) {
        fprintf(stderr, "pesim-config-doc: cannot read %s\n", path);
        return 2;
    }
    char *out = NULL;
    if (pesim_cfg_doc_update(text, len, &out)) {
        fprintf(stderr, "pesim-config-doc: %s: unbalanced schema markers\n",
                path);
        free(text);
        return 2;
    }
    int same = strcmp(out, text) == 0;
    int rc = 0;
    if (check) {
        if (!same)
            fprintf(stderr, "%s is out of date: run meson compile config-doc\n",
                    path);
        rc = same ? 0 : 1;
    } else if (!same) {
        FILE *f = fopen(path, "w");
        if (!f || fputs(out, f) == EOF || fclose(f)) {
            fprintf(stderr, "pesim-config-doc: cannot write %s\n", path);
            rc = 2;
        }
    }
    free(out);
    free(text);
    return rc;
}

int main(int argc, char **argv)
{
    int check = argc >= 2 && strcmp(argv[1], "--check") == 0;
    if (argc < 2 + check) {
        fprintf(stderr, "usage: pesim-config-doc [--check] FILE.md...\n");
        return 2;
    }
    int rc = 0;
    for (int i = 1 + check; i < argc; i++) {
        int r = update(argv[i], check);
        rc = r > rc ? r : rc;
    }
    return rc;
}

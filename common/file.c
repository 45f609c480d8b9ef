/* Reading inputs and writing outputs (common/file.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file.h"

uint64_t pesim_fnv1a(const void *data, size_t len, uint64_t h)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* ---- reading ------------------------------------------------------------ */

/* Read fd to its end, at most max + 1 bytes so that a larger file is
 * told apart. */
static int read_fd(int fd, size_t max, char **text, size_t *len)
{
    size_t cap = 0, n = 0;
    char *buf = NULL;
    for (;;) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 4096;
            if (ncap > max + 1)
                ncap = max + 1;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                return PESIM_E_NOMEM;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            free(buf);
            return PESIM_E_IO;
        }
        if (got == 0 || (n += (size_t)got) > max)
            break;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

int pesim_file_read(const char *path, const char *what, char **text, size_t *len,
                    pesim_diags *d)
{
    return pesim_file_read_max(path, what, PESIM_FILE_MAX_BYTES, text, len, d);
}

int pesim_file_read_max(const char *path, const char *what, size_t max, char **text,
                        size_t *len, pesim_diags *d)
{
    *text = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        int err = errno;
        if (what)
            pesim_diags_addc(d, PESIM_DIAG_FILE_IO, path, 0, 0,
                             "cannot read %s: %s", what, strerror(err));
        if (fd >= 0)
            close(fd);
        errno = err;
        return PESIM_E_IO;
    }
    if (!what)
        what = "the file";
    if (S_ISDIR(sb.st_mode)) {
        pesim_diags_addc(d, PESIM_DIAG_FILE_KIND, path, 0, 0,
                         "cannot read %s: it is a folder, expected a file",
                         what);
        close(fd);
        return PESIM_E_INVALID;
    }
    int rc = S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > max ? PESIM_E_RANGE
                                                                 : read_fd(fd, max, text, len);
    int err = errno;
    close(fd);
    if (!rc && *len > max)
        rc = PESIM_E_RANGE;
    if (rc == PESIM_E_RANGE) {
        pesim_diags_addc(d, PESIM_DIAG_FILE_KIND, path, 0, 0,
                         "cannot read %s: it is larger than %zu MiB, the most "
                         "pesim reads from one such file", what, max >> 20);
        rc = PESIM_E_INVALID;
    } else if (rc == PESIM_E_IO) {
        pesim_diags_addc(d, PESIM_DIAG_FILE_IO, path, 0, 0,
                         "cannot read %s: %s", what, strerror(err));
        errno = err;
    }
    if (!rc) {
        struct pesim_input in = {path, (unsigned long long)sb.st_dev,
                                 (unsigned long long)sb.st_ino, *len,
                                 pesim_fnv1a(*text, *len, PESIM_FNV_INIT)};
        rc = pesim_diags_note_input(d, &in);
    }
    if (rc) {
        free(*text);
        *text = NULL;
        *len = 0;
    }
    return rc;
}

/* ---- writing ------------------------------------------------------------ */

struct pesim_outfile {
    FILE *f;
    char *target; /* where the file goes */
    char *tmp;    /* the temporary file beside it; NULL when written straight */
    unsigned flags;
    size_t made;  /* length of the outermost folder made for it; 0: none */
};

/* pesim_mkdirs, with *made (may be NULL) the length of the prefix of dir
 * that names the outermost folder it created (0: none). */
static int mkdirs_made(const char *dir, size_t *made, pesim_diags *d)
{
    char *p = strdup(dir);
    if (!p)
        return PESIM_E_NOMEM;
    int rc = 0;
    if (made)
        *made = 0;
    for (char *s = p + 1; !rc; s++) {
        bool end = *s == '\0';
        if (*s != '/' && !end)
            continue;
        *s = '\0';
        struct stat sb;
        bool new_dir = mkdir(p, 0777) == 0;
        if (new_dir && made && !*made)
            *made = (size_t)(s - p);
        if (!new_dir && errno != EEXIST) {
            pesim_diags_addc(d, PESIM_DIAG_FILE_IO, p, 0, 0,
                             "cannot create the folder: %s", strerror(errno));
            rc = PESIM_E_IO;
        } else if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            pesim_diags_addc(d, PESIM_DIAG_FILE_REFUSED, p, 0, 0,
                             "cannot create a folder here: a file of that name "
                             "is in the way");
            rc = PESIM_E_INVALID;
        }
        if (end)
            break;
        *s = '/';
    }
    free(p);
    return rc;
}

int pesim_mkdirs(const char *dir, pesim_diags *d)
{
    return mkdirs_made(dir, NULL, d);
}

/* An output given up: the folders made for it go too (innermost first,
 * each only when empty), so that a failed command leaves nothing. */
static void unmake_dirs(const struct pesim_outfile *o)
{
    char *p = o->made && !(o->flags & PESIM_OUT_KEEP_DIRS) ? strdup(o->target) : NULL;
    for (char *slash; p && (slash = strrchr(p, '/')) && (size_t)(slash - p) >= o->made;) {
        *slash = '\0';
        if (rmdir(p) != 0)
            break;
    }
    free(p);
}

/* Refuse to write over a file the command read. */
static int check_not_input(const char *path, const struct stat *sb, pesim_diags *d)
{
    for (size_t i = 0; i < pesim_diags_ninputs(d); i++) {
        const struct pesim_input *in = pesim_diags_input(d, i);
        if (in->dev == (unsigned long long)sb->st_dev &&
            in->ino == (unsigned long long)sb->st_ino) {
            pesim_diags_addc(d, PESIM_DIAG_FILE_REFUSED, path, 0, 0,
                             "refusing to write the output over '%s', which this "
                             "command reads; write the output to another file", in->path);
            return PESIM_E_INVALID;
        }
    }
    return 0;
}

/* The folder part of `path` ("" for none) and the temporary file beside
 * it: "dir/.name.XXXXXX". */
static int open_tmp(struct pesim_outfile *o, pesim_diags *d)
{
    const char *slash = strrchr(o->target, '/');
    size_t dirlen = slash ? (size_t)(slash - o->target) + 1 : 0, len = strlen(o->target);
    if (!(o->tmp = malloc(len + 10)))
        return PESIM_E_NOMEM;
    memcpy(o->tmp, o->target, dirlen);
    snprintf(o->tmp + dirlen, len + 10 - dirlen, ".%s.XXXXXX", o->target + dirlen);
    if (dirlen > 1) {
        o->tmp[dirlen - 1] = '\0';
        int rc = mkdirs_made(o->tmp, &o->made, d);
        o->tmp[dirlen - 1] = '/';
        if (rc) {
            unmake_dirs(o);
            return rc;
        }
    }
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        pesim_diags_addc(d, PESIM_DIAG_FILE_IO, o->target, 0, 0,
                         "cannot create the output file: %s",
                         strerror(errno));
        unmake_dirs(o);
        free(o->tmp);
        o->tmp = NULL;
        return PESIM_E_IO;
    }
    /* mkstemp makes the file 0600; give it the mode a plain open would. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    if (!(o->f = fdopen(fd, "w"))) {
        close(fd);
        unlink(o->tmp);
        return PESIM_E_NOMEM;
    }
    return 0;
}

/* A character device or FIFO: written straight, as a shell's `>` would. */
static int open_straight(struct pesim_outfile *o, pesim_diags *d)
{
    int fd = open(o->target, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        pesim_diags_addc(d, PESIM_DIAG_FILE_IO, o->target, 0, 0,
                         "cannot open the output: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return PESIM_E_IO;
    }
    return 0;
}

static int open_target(struct pesim_outfile *o, pesim_diags *d)
{
    const char *path = o->target;
    size_t n = strlen(path);
    if (n == 0 || path[n - 1] == '/') {
        pesim_diags_addc(d, PESIM_DIAG_FILE_REFUSED, path, 0, 0,
                         "the output must name a file, not a folder");
        return PESIM_E_INVALID;
    }
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (errno != ENOENT) {
            pesim_diags_addc(d, PESIM_DIAG_FILE_IO, path, 0, 0,
                             "cannot write the output: %s", strerror(errno));
            return errno == ENOTDIR ? PESIM_E_INVALID : PESIM_E_IO;
        }
        return open_tmp(o, d);
    }
    if (S_ISDIR(sb.st_mode) || S_ISBLK(sb.st_mode)) {
        pesim_diags_addc(d, PESIM_DIAG_FILE_REFUSED, path, 0, 0,
                         "refusing to write the output: it is %s, expected a "
                         "file name", S_ISDIR(sb.st_mode) ? "a folder" : "a block device");
        return PESIM_E_INVALID;
    }
    if (!S_ISREG(sb.st_mode))
        return open_straight(o, d);
    int rc = check_not_input(path, &sb, d);
    if (rc)
        return rc;
    /* A symbolic link to a file: replace the file it names, keep the link. */
    char real[PATH_MAX];
    struct stat lsb;
    if (lstat(path, &lsb) == 0 && S_ISLNK(lsb.st_mode) && realpath(path, real)) {
        char *t = strdup(real);
        if (!t)
            return PESIM_E_NOMEM;
        free(o->target);
        o->target = t;
    }
    return open_tmp(o, d);
}

int pesim_out_open(const char *path, unsigned flags, pesim_outfile **out, FILE **f,
                   pesim_diags *d)
{
    *out = NULL;
    *f = NULL;
    struct pesim_outfile *o = calloc(1, sizeof *o);
    if (!o || !(o->target = strdup(path))) {
        free(o);
        return PESIM_E_NOMEM;
    }
    o->flags = flags;
    int rc = open_target(o, d);
    if (rc) {
        free(o->tmp);
        free(o->target);
        free(o);
        return rc;
    }
    *out = o;
    *f = o->f;
    return 0;
}

static void sync_dir(const char *path)
{
    char *dir = strdup(path);
    if (!dir)
        return;
    char *slash = strrchr(dir, '/');
    const char *name = ".";
    if (slash) {
        *slash = '\0';
        name = dir[0] ? dir : "/";
    }
    int fd = open(name, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

static void out_free(struct pesim_outfile *o)
{
    free(o->tmp);
    free(o->target);
    free(o);
}

int pesim_out_commit(pesim_outfile *o, pesim_diags *d)
{
    int rc = fflush(o->f) != 0 || ferror(o->f) ? PESIM_E_IO : 0;
    if (!rc && o->tmp && (o->flags & PESIM_OUT_SYNC) && fsync(fileno(o->f)) != 0)
        rc = PESIM_E_IO;
    int err = errno;
    if (fclose(o->f) != 0 && !rc) {
        rc = PESIM_E_IO;
        err = errno;
    }
    if (!rc && o->tmp && rename(o->tmp, o->target) != 0) {
        rc = PESIM_E_IO;
        err = errno;
    }
    if (rc) {
        pesim_diags_addc(d, PESIM_DIAG_FILE_IO, o->target, 0, 0,
                         "cannot write the output: %s", strerror(err));
        if (o->tmp)
            unlink(o->tmp);
        unmake_dirs(o);
    } else if (o->tmp && (o->flags & PESIM_OUT_SYNC)) {
        sync_dir(o->target);
    }
    out_free(o);
    return rc;
}

void pesim_out_abort(pesim_outfile *o)
{
    if (!o)
        return;
    fclose(o->f);
    if (o->tmp)
        unlink(o->tmp);
    unmake_dirs(o);
    out_free(o);
}

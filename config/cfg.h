/* pesim — internal: schema-driven YAML configuration (not a public header).
 *
 * Every configurable component describes its keys in a schema table
 * (struct cfg_key): name, type, bounds or enum names, default as YAML text,
 * unit, one-line description and where the value lives (offsetof). One walker
 * validates a libyaml document against the tables, `--set` overrides go
 * through the same value parsers, and docs/config.md is generated from the
 * same tables, so the three can never disagree.
 *
 * Errors are collected in a context, never printed or fatal: every problem is
 * recorded with its 1-based position and flushed to a pesim_diags list in file
 * order by pesim_cfg_finish. The message form is
 *   "KEY.PATH: WHAT, expected WHAT". */
#ifndef PESIM_CONFIG_CFG_H
#define PESIM_CONFIG_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <yaml.h>

#include "common/embed.h"
#include "pesim/error.h"

enum cfg_type {
    CFG_U32,     /* uint32_t in [umin, umax] */
    CFG_U64,     /* uint64_t in [umin, umax] */
    CFG_DOUBLE,  /* finite double in [dmin, dmax] */
    CFG_BOOL,    /* bool: true | false */
    CFG_STRING,  /* char[umax + 1], at most umax bytes */
    CFG_ENUM,    /* int: index into names */
    CFG_DS_LIST, /* bool[PESIM_DS_COUNT]: list of data-space names */
    CFG_SECTION, /* a mapping walked with `sub` */
    CFG_CUSTOM,  /* parsed by `parse`; `type_doc` names the type */
};

/* Key flags. */
#define CFG_F_OPTIONAL 1u /* no default: absent leaves the field as it is
                             (zero after pesim_cfg_defaults); the section's
                             check decides what absence means */
#define CFG_F_LIST 2u     /* docs: a custom list of `sub` items ("key[]") */
#define CFG_F_REQUIRED 4u /* a section that must be given even though each
                             of its keys is optional */

struct cfg_ctx;
struct cfg_key;

/* Parse `node` into the key's field of `obj` (obj + key->offset). Report
 * problems with pesim_cfg_error; return 0 or PESIM_E_INVALID. */
typedef int (*cfg_parse_fn)(struct cfg_ctx *ctx, const struct cfg_key *key,
                            yaml_node_t *node, const char *path, void *obj);
/* Cross-key check of a section after its keys were read (or after a --set):
 * may normalize `obj`; reports with pesim_cfg_error_key. */
typedef void (*cfg_check_fn)(struct cfg_ctx *ctx, const char *path, void *obj);
/* A list whose items have names (--set LIST.NAME.KEY=VALUE): the offset,
 * from the list key's object, of the item called `name` (whose keys are
 * the key's `sub`); false when no item has that name. */
typedef bool (*cfg_item_fn)(const void *obj, const char *name, size_t *offset);

struct cfg_key {
    const char *name;
    enum cfg_type type;
    uint64_t umin, umax;      /* integers; umax is the max length of strings */
    double dmin, dmax;        /* doubles */
    const char *const *names; /* enums: NULL-terminated */
    const char *def;          /* default as YAML text; NULL = required */
    const char *def_doc;      /* docs: the Default cell instead of `def`, for
                                 a default that a check derives from other
                                 keys (`def` is only what it starts as) */
    const char *unit;         /* "" when none */
    const char *desc;         /* one line, for docs/config.md */
    size_t offset;            /* of the field (or sub-object) in the object */
    const struct cfg_section *sub; /* CFG_SECTION */
    cfg_parse_fn parse;            /* CFG_CUSTOM */
    const char *type_doc;          /* CFG_CUSTOM: type and what is expected */
    unsigned flags;                /* CFG_F_* */
    int aux;                       /* free for custom parsers */
    cfg_item_fn item;              /* CFG_F_LIST: its items by name, for --set */
};

struct cfg_section {
    const struct cfg_key *keys;
    size_t nkeys;
    cfg_check_fn check; /* may be NULL */
};

/* A recorded error (private to cfg.c, here so the context can live on the
 * stack without allocation). */
struct cfg_err;
struct cfg_rec;

struct cfg_ctx {
    const char *file;     /* name used in messages */
    bool loading;         /* a whole document is being read */
    bool in_set;          /* --set: checks run once, at the end */
    yaml_document_t *doc; /* the document being walked (set by the caller) */
    unsigned col_offset;  /* --set: column of the value in the assignment */
    struct cfg_err *errs; /* collected errors */
    size_t nerrs, caperrs;
    struct cfg_rec *recs; /* positions of the keys given, by path */
    size_t nrecs, caprecs;
    size_t *index;        /* open-addressed hash of recs by path: 1 + the
                             latest rec of a path, 0 empty; capindex slots */
    size_t capindex;
    bool nomem;
};

/* Start a context; `file` must outlive it. */
void pesim_cfg_init(struct cfg_ctx *ctx, const char *file);
/* Move the errors, in position order, to diags and free the context.
 * Returns 0, PESIM_E_INVALID when there were errors, or PESIM_E_NOMEM. */
int pesim_cfg_finish(struct cfg_ctx *ctx, pesim_diags *diags);
bool pesim_cfg_failed(const struct cfg_ctx *ctx);

/* Parse YAML text into doc (caller deletes it on 0). A syntax error is
 * reported at libyaml's problem mark and PESIM_E_INVALID returned; an empty
 * document is an error too. */
int pesim_cfg_parse(struct cfg_ctx *ctx, const char *text, size_t len,
                    yaml_document_t *doc);

/* Limits on any YAML or JSON text pesim loads (docs/cli.md, "Limits on
 * inputs"); the shipped files nest at most 8 deep and use no aliases. */
#define PESIM_YAML_MAX_DEPTH 64      /* open lists and mappings */
#define PESIM_YAML_MAX_ANCHORS 1000  /* per document */
#define PESIM_YAML_MAX_ALIASES 10000 /* per document */
#define PESIM_YAML_MAX_NODES 1000000 /* nodes, every alias expanded */

/* Where a text breaks a limit (1-based position) and how, as a message of
 * the form "what, expected what". */
struct pesim_yaml_problem {
    unsigned line, col;
    char msg[160];
};
/* Check `text` against the limits above, and that it holds at most one
 * document, without building it (config/limits.c says why). 0 when within
 * them, or when it has a syntax error (left for yaml_parser_load to
 * report); PESIM_E_INVALID with *p filled; PESIM_E_NOMEM. */
int pesim_yaml_check(const char *text, size_t len, struct pesim_yaml_problem *p);

/* Whether s[0..len) may be a name (of a layer, a workload, a mapping's
 * layer): valid UTF-8, no control characters but tab and newline. 0, or
 * PESIM_E_INVALID with the offending byte's offset in *offset and a
 * "what" for "got what, expected ..." in why. One rule for every reader:
 * names end up in JSON, CSV and HTML, and JSON must be UTF-8. */
int pesim_name_check(const char *s, size_t len, size_t *offset, char *why, size_t why_size);
#define PESIM_NAME_EXPECTED "a name in UTF-8 without control characters"

/* Fill every default of a section into obj (recursively). */
void pesim_cfg_defaults(const struct cfg_section *sec, void *obj);
/* Validate `node` (must be a mapping) against `sec` and store into obj:
 * unknown, duplicate and missing keys, every value, then the checks. `path`
 * is the dotted prefix of the section ("" at the root). */
void pesim_cfg_walk(struct cfg_ctx *ctx, const struct cfg_section *sec,
                    void *obj, yaml_node_t *node, const char *path);
/* Parse one value of `key` (any type) into obj + key->offset. */
int pesim_cfg_value(struct cfg_ctx *ctx, const struct cfg_key *key,
                    yaml_node_t *node, const char *path, void *obj);
/* Run every section's check, innermost first, without a document (used
 * after --set and by validate). */
void pesim_cfg_check_all(struct cfg_ctx *ctx, const struct cfg_section *sec,
                         void *obj, const char *path);

/* Apply "dotted.key=value" to obj (size obj_size) under root; errors at
 * "--set:1:COL" (ctx->file should be "--set"). obj unchanged on error. */
int pesim_cfg_set(struct cfg_ctx *ctx, const struct cfg_section *root,
                  void *obj, size_t obj_size, const char *assignment);

/* Report "PATH: message" at a node (NULL node: no position). */
void pesim_cfg_error(struct cfg_ctx *ctx, const yaml_node_t *node,
                     const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* Report "SECPATH.KEY: message" at the key's value, or at the enclosing
 * section when the key was not given. */
void pesim_cfg_error_key(struct cfg_ctx *ctx, const char *secpath,
                         const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* The same two with a diagnostic code (include/pesim/error.h); the ones
 * above give PESIM_DIAG_CFG_VALUE, a value that the key's check refuses. */
void pesim_cfg_errorc(struct cfg_ctx *ctx, enum pesim_diag_code code, const yaml_node_t *node,
                      const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
void pesim_cfg_error_keyc(struct cfg_ctx *ctx, enum pesim_diag_code code, const char *secpath,
                          const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Whether SECPATH.KEY was given in this document or --set. */
bool pesim_cfg_given(const struct cfg_ctx *ctx, const char *secpath,
                     const char *key);
/* Whether SECPATH.KEY takes its default now: it is not given, and either
 * a whole document is being read or a --set replaced a section that holds
 * it (whose keys left out take their defaults); otherwise `was`, what the
 * caller recorded before. For keys whose default is derived from other
 * keys: the caller keeps the answer, so that a later --set of those keys
 * derives the value again (docs/config.md, "Derived defaults"). */
bool pesim_cfg_defaulted(const struct cfg_ctx *ctx, const char *secpath, const char *key,
                         bool was);
/* "SECPATH.KEY" ("KEY" at the root, "SECPATH" for an empty key). */
void pesim_cfg_join(char *buf, size_t size, const char *secpath,
                    const char *key);
/* Human text of what a key expects ("an integer in [1, 4096]"). */
void pesim_cfg_expected(const struct cfg_key *key, char *buf, size_t size);
/* Scalar helpers for custom parsers: strict decimal u64 in [min, max]. */
int pesim_cfg_u64(struct cfg_ctx *ctx, yaml_node_t *node, const char *path,
                  uint64_t min, uint64_t max, const char *expected,
                  uint64_t *out);
/* The items of `node` as the list of a general form's levels (2 to
 * PESIM_LEVELS_MAX of them, outermost first): their start and *n, or NULL
 * with the problem reported. One rule for the architecture's and the
 * mapping's `levels`. */
yaml_node_item_t *pesim_cfg_level_items(struct cfg_ctx *ctx, yaml_node_t *node, const char *path,
                                        size_t *n);
/* Write s as a double-quoted YAML scalar (quotes and backslashes escaped,
 * control bytes as \xNN): names from foreign files may hold anything. */
void pesim_cfg_write_quoted(FILE *out, const char *s);
/* Read a whole file (NUL-terminated, malloc'ed); NULL if unreadable. */
char *pesim_cfg_read_file(const char *path, size_t *len);

/* Load a whole document: defaults of `sec` into `obj`, parse, walk, then
 * flush every error to diags. 0 or PESIM_E_INVALID; `obj` is filled as far
 * as the document allowed either way (callers copy it out on success). */
/* The same, with the schema chosen by the document: `with` when its root
 * mapping has the key `key`, else `without` (the general and the shorthand
 * forms of one file kind). */
int pesim_cfg_load_either(const char *text, size_t len, const char *file, const char *key,
                          const struct cfg_section *with, const struct cfg_section *without,
                          void *obj, pesim_diags *diags);
int pesim_cfg_load(const char *text, size_t len, const char *file,
                   const struct cfg_section *sec, void *obj, pesim_diags *diags);

/* Where a document comes from: a shipped preset (by name) or a file. */
struct cfg_source {
    const char *text;
    size_t len;
    char *owned;     /* file contents, freed by pesim_cfg_source_close */
    char file[80];   /* name used in messages: "eyeriss-v1.yaml" or the path */
};

/* Open `name_or_path`: a name in `presets` (a table of embedded files, see
 * common/embed.h), else a readable file. Otherwise PESIM_E_NOTFOUND with
 * "no KIND preset or readable file of that name, expected a path or one of
 * NAMES". */
int pesim_cfg_source_open(const struct pesim_embedded *presets, const char *kind,
                          const char *name_or_path, struct cfg_source *src,
                          pesim_diags *diags);
void pesim_cfg_source_close(struct cfg_source *src);
/* Text of a scalar node, or NULL for other kinds. */
const char *pesim_cfg_scalar(const yaml_node_t *node);
const char *pesim_cfg_kind_name(const yaml_node_t *node);

/* Markdown reference of a schema: one table per section, sub-sections
 * after their parent, titled by `prefix`-qualified paths. */
int pesim_cfg_write_markdown(FILE *out, const struct cfg_section *root,
                             const char *prefix);
/* Rewrite every "<!-- schema:NAME -->...<!-- /schema:NAME -->" block of a
 * Markdown text with the generated reference. *out is malloc'ed. */
int pesim_cfg_doc_update(const char *text, size_t len, char **out);

/* The value of a numeric key (integer, real or bool) of obj by its dotted
 * path through `sec`, e.g. "glb.capacity_bytes". 0 or PESIM_E_NOTFOUND. */
int pesim_cfg_number(const struct cfg_section *sec, const void *obj, const char *path,
                     double *out);
/* Call each(path, ctx) for every numeric key path of a schema, in table
 * order. */
void pesim_cfg_number_paths(const struct cfg_section *sec,
                            void (*each)(const char *path, void *ctx), void *ctx);

/* The root schemas of the three file kinds (arch.c, workload.c,
 * mapping_yaml.c), for the docs generator and tests. */
const struct cfg_section *pesim_arch_schema(void);
const struct cfg_section *pesim_arch_general_schema(void); /* the `levels:` form */
const struct cfg_section *pesim_workload_schema(void);
const struct cfg_section *pesim_mapping_schema(void);
const struct cfg_section *pesim_sweep_schema(void); /* sweep/spec.c */
const struct cfg_section *pesim_accelergy_map_schema(void); /* energy/accelergy.c */

#endif

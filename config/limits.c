/* Bounds on what an input may ask of pesim before any of it is built: the
 * shape of a YAML (or JSON) text, and the bytes of a name. See cfg.h and
 * docs/cli.md ("Limits on inputs"). */
#include "common/text.h"
#include "config/cfg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct anchor {
    char *name;
    uint64_t nodes; /* expanded size of the anchored node */
};

static void problem(struct pesim_yaml_problem *p, const yaml_mark_t *m, const char *what,
                    unsigned long long limit, const char *unit)
{
    p->line = (unsigned)m->line + 1;
    p->col = (unsigned)m->column + 1;
    snprintf(p->msg, sizeof p->msg, "%s, expected at most %llu%s", what, limit, unit);
}

/* A first pass over libyaml's events, before yaml_parser_load builds a
 * document. Why a separate pass: libyaml's scanner keeps a simple-key
 * entry per open flow level and rescans them on every token, so a text of
 * n nested levels costs O(n^2) (200,000 '[' run for minutes), and the
 * loader has no way to stop early. Counting depth on the events lets the
 * scan stop at PESIM_YAML_MAX_DEPTH, where libyaml's work is still linear.
 * The same pass counts documents and sizes anchors: an alias is loaded as
 * a second reference to one node, and every walker of pesim follows it, so
 * `b: &b [*a, *a, ...]` nested ten times is a billion nodes walked from a
 * few hundred bytes; the pass adds up each alias's expanded size and stops
 * at PESIM_YAML_MAX_NODES. A syntax error ends the pass quietly: the load
 * that follows reports it at the same place, with libyaml's words. */
int pesim_yaml_check(const char *text, size_t len, struct pesim_yaml_problem *p)
{
    memset(p, 0, sizeof *p);
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return PESIM_E_NOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);

    /* Per open collection: the expanded count at its start and the anchor
     * it defines (-1: none), to size the anchor when it closes. */
    struct {
        uint64_t start;
        long anchor;
    } open[PESIM_YAML_MAX_DEPTH + 1];
    struct anchor *anchors = NULL;
    size_t nanchors = 0, naliases = 0, ndocs = 0;
    unsigned depth = 0;
    uint64_t nodes = 0;
    int rc = 0;
    bool done = false, ended = false;
    while (!done && !rc) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            /* Syntax: the load reports it, except past the end of the
             * first document, which the load never reads: `{...}}}}`. */
            if (ended) {
                p->line = (unsigned)parser.problem_mark.line + 1;
                p->col = (unsigned)parser.problem_mark.column + 1;
                snprintf(p->msg, sizeof p->msg, "text after the end of the document (%s)",
                         parser.problem ? parser.problem : "a syntax error");
                rc = PESIM_E_INVALID;
            }
            break;
        }
        const char *anchor = NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_END_EVENT:
            ended = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++ndocs > 1) {
                p->line = (unsigned)ev.start_mark.line + 1;
                p->col = (unsigned)ev.start_mark.column + 1;
                snprintf(p->msg, sizeof p->msg,
                         "a second YAML document, expected one document per file");
                rc = PESIM_E_INVALID;
            }
            break;
        case YAML_SCALAR_EVENT:
            anchor = (const char *)ev.data.scalar.anchor;
            nodes++;
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            anchor = ev.type == YAML_SEQUENCE_START_EVENT
                         ? (const char *)ev.data.sequence_start.anchor
                         : (const char *)ev.data.mapping_start.anchor;
            if (depth == PESIM_YAML_MAX_DEPTH) {
                problem(p, &ev.start_mark,
                        "lists and mappings nested too deep",
                        PESIM_YAML_MAX_DEPTH, " levels");
                rc = PESIM_E_INVALID;
                break;
            }
            open[depth].start = nodes++;
            open[depth].anchor = -1;
            depth++;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth) {
                depth--;
                if (open[depth].anchor >= 0)
                    anchors[open[depth].anchor].nodes = nodes - open[depth].start;
            }
            break;
        case YAML_ALIAS_EVENT: {
            const char *name = (const char *)ev.data.alias.anchor;
            uint64_t size = 1;
            /* Latest first: a redefined anchor means its last definition. */
            for (size_t i = nanchors; i-- > 0;)
                if (strcmp(anchors[i].name, name) == 0) {
                    size = anchors[i].nodes;
                    break;
                }
            if (++naliases > PESIM_YAML_MAX_ALIASES) {
                problem(p, &ev.start_mark, "too many aliases",
                        PESIM_YAML_MAX_ALIASES, " per document");
                rc = PESIM_E_INVALID;
            }
            nodes += size;
            break;
        }
        default:
            break;
        }
        if (!rc && anchor) {
            if (nanchors == PESIM_YAML_MAX_ANCHORS) {
                problem(p, &ev.start_mark, "too many anchors",
                        PESIM_YAML_MAX_ANCHORS, " per document");
                rc = PESIM_E_INVALID;
            } else {
                if (!anchors) {
                    anchors = calloc(PESIM_YAML_MAX_ANCHORS, sizeof *anchors);
                    if (!anchors)
                        rc = PESIM_E_NOMEM;
                }
                size_t n = strlen(anchor) + 1;
                char *name = rc ? NULL : malloc(n);
                if (!rc && !name)
                    rc = PESIM_E_NOMEM;
                if (!rc) {
                    memcpy(name, anchor, n);
                    anchors[nanchors] = (struct anchor){name, 1};
                    if (ev.type != YAML_SCALAR_EVENT)
                        open[depth - 1].anchor = (long)nanchors;
                    nanchors++;
                }
            }
        }
        if (!rc && nodes > PESIM_YAML_MAX_NODES) {
            problem(p, &ev.start_mark,
                    "too many nodes once aliases are expanded",
                    PESIM_YAML_MAX_NODES, "");
            rc = PESIM_E_INVALID;
        }
        yaml_event_delete(&ev);
    }
    for (size_t i = 0; i < nanchors; i++)
        free(anchors[i].name);
    free(anchors);
    yaml_parser_delete(&parser);
    return rc;
}

int pesim_name_check(const char *s, size_t len, size_t *offset, char *why, size_t why_size)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        /* Control bytes other than tab and newline: a name is shown in a
         * terminal, a CSV cell and an HTML page; an ESC or a NUL in it is
         * never a name anyone meant, and a NUL would cut it silently.
         * Tab, newline, quotes, backquotes, '$' and '@' stay: they are
         * legal in the formats pesim reads and every writer escapes them. */
        if ((u[i] < 0x20 && u[i] != '\t' && u[i] != '\n') || u[i] == 0x7f) {
            *offset = i;
            snprintf(why, why_size, "a control character (byte 0x%02x)", u[i]);
            return PESIM_E_INVALID;
        }
        size_t k = pesim_utf8_len(u + i, len - i);
        if (!k) {
            *offset = i;
            snprintf(why, why_size, "bytes that are not UTF-8 (0x%02x at byte %zu)", u[i],
                     i + 1);
            return PESIM_E_INVALID;
        }
        i += k;
    }
    return 0;
}

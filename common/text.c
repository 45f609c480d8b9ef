/* Names shown to people (common/text.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/text.h"

size_t pesim_utf8_len(const unsigned char *p, size_t n)
{
    if (n == 0)
        return 0;
    unsigned char c = p[0];
    size_t k = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
             : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (k > n)
        return 0;
    /* the second byte's range excludes overlong forms and surrogates */
    unsigned char lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
    unsigned char hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
    for (size_t i = 1; i < k; i++, lo = 0x80, hi = 0xbf)
        if (p[i] < lo || p[i] > hi)
            return 0;
    return k;
}

char *pesim_visible(char *dst, size_t size, const char *s)
{
    size_t at = 0;
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    for (; *p && size; p++) {
        char esc[8];
        const char *piece = esc;
        size_t n = pesim_utf8_len(p, (size_t)(end - p));
        if (n >= 1 && (n > 1 || (*p >= 0x20 && *p != 0x7f))) {
            piece = (const char *)p;
        } else if (*p == '\n' || *p == '\t' || *p == '\r') {
            snprintf(esc, sizeof esc, "\\%c", *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r');
            n = 2;
        } else {
            snprintf(esc, sizeof esc, "\\x%02X", *p);
            n = 4;
        }
        if (at + n >= size)
            break;
        memcpy(dst + at, piece, n);
        at += n;
        if (piece == (const char *)p)
            p += n - 1;
    }
    if (size)
        dst[at] = '\0';
    return dst;
}

size_t pesim_edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    if (la > 127 || lb > 127)
        return SIZE_MAX;
    size_t row[128];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

void pesim_nearest_start(struct pesim_nearest *n, const char *name, size_t len)
{
    n->name = name;
    n->len = len;
    n->best = NULL;
    n->best_d = SIZE_MAX;
}

void pesim_nearest_offer(struct pesim_nearest *n, const char *candidate)
{
    size_t d = pesim_edit_distance(n->name, n->len, candidate, strlen(candidate));
    if (d < n->best_d) {
        n->best = candidate;
        n->best_d = d;
    }
}

const char *pesim_nearest_best(const struct pesim_nearest *n)
{
    size_t limit = n->len / 3 > 2 ? n->len / 3 : 2;
    return n->best && n->best_d <= limit ? n->best : NULL;
}

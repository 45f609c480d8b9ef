/* common/text: names from input files, shown on a terminal or in a log.
 * A name may hold control characters (a YAML "\n" or "\e[2J") that would
 * break a table or a line of stderr, or drive the terminal; what pesim
 * prints for people shows them as visible escapes instead. Not a public
 * header. */
#ifndef PESIM_COMMON_TEXT_H
#define PESIM_COMMON_TEXT_H

#include <stddef.h>

/* Room for a name of pesim's (at most 63 or 255 bytes) shown with every
 * byte escaped. */
enum { PESIM_NAME_SHOWN = 4 * 256 + 1 };

/* The length of the valid UTF-8 sequence at `p` (`n` bytes left; 1 for
 * any ASCII byte, control characters and NUL included), or 0 when `p`
 * does not start one within `n` bytes (a stray continuation byte, an
 * overlong form, a surrogate, past U+10FFFF, cut short), as RFC 3629 and
 * JSON readers require. */
size_t pesim_utf8_len(const unsigned char *p, size_t n);

/* Copy `s` into `dst` (`size` bytes, NUL-terminated, cut at a whole
 * character) with newline, tab and carriage return as \n, \t, \r and every
 * other control character or byte that is not UTF-8 as \xNN; a backslash
 * stays one. Returns `dst`. */
char *pesim_visible(char *dst, size_t size, const char *s);

/* Levenshtein distance of a[0..la) and b[0..lb); SIZE_MAX when either is
 * over 127 bytes. */
size_t pesim_edit_distance(const char *a, size_t la, const char *b, size_t lb);

/* The "did you mean" of every message about an unknown name (YAML keys,
 * sweep names, command-line options and commands): start with the name
 * given, offer each accepted one, then take the nearest by edit distance
 * when it is near enough to be a misspelling (at most max(len / 3, 2)
 * edits for a name of len bytes), else NULL. Borrows the strings. */
struct pesim_nearest {
    const char *name;
    size_t len;
    const char *best;
    size_t best_d;
};
void pesim_nearest_start(struct pesim_nearest *n, const char *name, size_t len);
void pesim_nearest_offer(struct pesim_nearest *n, const char *candidate);
const char *pesim_nearest_best(const struct pesim_nearest *n);

#endif

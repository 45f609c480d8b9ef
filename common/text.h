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

#endif

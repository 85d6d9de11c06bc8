#ifndef CAISSE_CNCURSES_SHIM_H
#define CAISSE_CNCURSES_SHIM_H

// Wide-character curses (wget_wch, cchar_t): must be defined before curses.h.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

// Swift 6 rejects C mutable globals (not concurrency-safe) and cannot import
// function-like or bit-shifting macros; these accessors expose what Terminal needs.

static inline WINDOW *caisse_stdscr(void) { return stdscr; }
static inline int caisse_lines(void) { return LINES; }
static inline int caisse_cols(void) { return COLS; }
static inline int caisse_colors(void) { return COLORS; }
static inline int caisse_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *caisse_stdin(void) { return stdin; }
static inline FILE *caisse_stdout(void) { return stdout; }

static inline attr_t caisse_a_normal(void) { return A_NORMAL; }
static inline attr_t caisse_a_bold(void) { return A_BOLD; }
static inline attr_t caisse_a_dim(void) { return A_DIM; }
static inline attr_t caisse_a_reverse(void) { return A_REVERSE; }

static inline int caisse_attr_set(WINDOW *win, attr_t attrs, short pair) {
    return wattr_set(win, attrs, pair, NULL);
}

/// True when LC_CTYPE's codeset is UTF-8 (what the grid's text is written in).
static inline int caisse_codeset_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

// Whether curses owns the terminal, read by the signal and atexit handlers.
// A sig_atomic_t is the only type a signal handler may portably read.
// `static` gives every object file its own copy, so only one Swift file
// (TerminalRestore.swift) may call these and the handler functions below.
static volatile sig_atomic_t caisse_curses_active = 0;
static inline void caisse_set_curses_active(int active) { caisse_curses_active = active ? 1 : 0; }
static inline int caisse_is_curses_active(void) { return caisse_curses_active != 0; }

// The dispositions replaced by caisse_install_handler, for the handler to chain to:
// SIG_DFL usually, but Swift's runtime installs its crash backtracer for
// SIGSEGV, SIGILL, SIGTRAP… and it should still print the backtrace.
// (A function-local static: Swift's importer emits it with the function, while a
// file-scope array without initialiser is left undefined at link time.)
static inline struct sigaction *caisse_previous_action(int sig) {
    static struct sigaction actions[NSIG];
    return &actions[sig];
}

static inline void caisse_install_handler(int sig, void (*handler)(int)) {
    if (sig <= 0 || sig >= NSIG) return;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    sigaction(sig, &action, caisse_previous_action(sig));
}

static inline void caisse_restore_previous_handler(int sig) {
    if (sig <= 0 || sig >= NSIG) return;
    sigaction(sig, caisse_previous_action(sig), NULL);
}

#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcurses

/// Whether curses owns the terminal, and the handlers that give it back if the
/// process ends without `stop()` (exit, a fatal signal, a crash).
///
/// The flag lives in the shim as a `static` C variable, one copy per object
/// file: this is the only file that may touch it.
enum CursesSession {
    static var isActive: Bool { caisse_is_curses_active() != 0 }

    /// Installs the restoring handlers (once), before curses starts: ncurses only
    /// installs its own SIGINT/SIGTERM handlers (which exit with status 1) over
    /// default ones.
    static func prepare() {
        _ = installHandlers
    }

    static func begin() {
        caisse_set_curses_active(1)
    }

    /// Restores the terminal once; later calls do nothing.
    static func end() {
        guard caisse_is_curses_active() != 0 else { return }
        caisse_set_curses_active(0)
        endwin()
    }

    /// Signals whose default action ends the process. SIGINT too: raw mode turns
    /// Ctrl-C into a key, but `kill -INT` still arrives. SIGILL and SIGTRAP are how
    /// a Swift runtime trap (overflow, bad index) ends the process on x86-64 and arm64.
    static let fatalSignals: [Int32] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGTRAP]

    /// A static `let` is initialised once, thread-safely: the handlers are installed
    /// on the first `prepare()` and stay (they only chain on while curses is inactive).
    private static let installHandlers: Void = {
        atexit {
            if caisse_is_curses_active() != 0 {
                caisse_set_curses_active(0)
                endwin()
            }
        }
        for sig in fatalSignals {
            // Captures nothing, as a C function pointer must. endwin() is not
            // async-signal-safe, but the process is dying and a terminal left in
            // raw mode is worse. The re-raised signal is blocked until this handler
            // returns, then goes to the previous disposition (the default action, or
            // Swift's backtracer) with the original context.
            caisse_install_handler(sig) { sig in
                if caisse_is_curses_active() != 0 {
                    caisse_set_curses_active(0)
                    endwin()
                }
                caisse_restore_previous_handler(sig)
                raise(sig)
            }
        }
    }()

    /// Uses the environment's locale so ncursesw reads and writes multibyte text.
    /// With no locale at all (C/POSIX, common under ssh or in containers) ncursesw
    /// would print "é" as "M-CM-)", so LC_CTYPE falls back to C.UTF-8.
    static func configureLocale() {
        setlocale(LC_ALL, "")
        guard caisse_codeset_is_utf8() == 0 else { return }
        let ctype = setlocale(LC_CTYPE, nil).map { String(cString: $0) } ?? "C"
        if ctype == "C" || ctype == "POSIX" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcurses
import ScreenKit

public enum TerminalError: Error, CustomStringConvertible {
    case notATerminal
    case unknownTerminal(String?)
    case alreadyStarted

    public var description: String {
        switch self {
        case .notATerminal:
            "The register needs an interactive terminal: standard input and output must not be redirected."
        case .unknownTerminal(let name?):
            "Unknown terminal type \"\(name)\"; set TERM (for example TERM=xterm-256color)."
        case .unknownTerminal(nil):
            "TERM is not set; set it (for example TERM=xterm-256color)."
        case .alreadyStarted:
            "The terminal is already in use by another TerminalScreen."
        }
    }
}

/// The real terminal, through ncurses: keys in, grids out. Used from one thread.
public final class TerminalScreen {
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    public let hasColors: Bool
    private var stopped = false
    /// What the screen shows now, to write only what changed.
    private var shown: Grid?
    private var needsFullRedraw = true
    /// Nil until first set: curs_set is only called when visibility changes.
    private var cursorVisible: Bool?

    private init(screen: OpaquePointer, window: UnsafeMutablePointer<WINDOW>, hasColors: Bool) {
        self.screen = screen
        self.window = window
        self.hasColors = hasColors
    }

    deinit {
        stop()
        delscreen(screen)
    }

    /// Enters curses mode and installs the handlers that restore the terminal
    /// if the process exits or dies without `stop()`.
    public static func start() throws -> TerminalScreen {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        guard !CursesSession.isActive else { throw TerminalError.alreadyStarted }
        CursesSession.configureLocale()
        CursesSession.prepare()
        // newterm, not initscr: initscr prints and exits on an unknown TERM.
        guard let screen = newterm(nil, caisse_stdout(), caisse_stdin()), let window = caisse_stdscr() else {
            throw TerminalError.unknownTerminal(getenv("TERM").map { String(cString: $0) })
        }
        CursesSession.begin()
        raw()  // Ctrl-C, Ctrl-Z, Ctrl-S arrive as keys; the app decides.
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)  // The default second makes Escape feel broken.
        curs_set(0)
        return TerminalScreen(screen: screen, window: window, hasColors: setUpColors())
    }

    private static func setUpColors() -> Bool {
        guard has_colors(), start_color() == OK, caisse_color_pairs() > CursesStyle.pairs.count else { return false }
        // Without default colours, -1 is invalid: fall back to white on black.
        let defaults = use_default_colors() == OK
        for (tint, foreground, background) in CursesStyle.pairs {
            let fg = foreground == .terminalDefault && !defaults ? CursesStyle.Color.white : foreground
            let bg = background == .terminalDefault && !defaults ? CursesStyle.Color.black : background
            init_pair(CursesStyle.pair(for: tint), fg.rawValue, bg.rawValue)
        }
        return true
    }

    public var size: Size { Size(width: Int(caisse_cols()), height: Int(caisse_lines())) }

    /// Waits up to `timeoutMilliseconds` (negative: forever) for a key or a resize.
    /// Nil on timeout. Keys screens cannot use are skipped, within the same wait.
    public func next(timeoutMilliseconds: Int) -> TerminalEvent? {
        guard !stopped else { return nil }
        let clock = ContinuousClock()
        let deadline = timeoutMilliseconds < 0 ? nil : clock.now + .milliseconds(timeoutMilliseconds)
        while true {
            var remaining: Int32 = -1
            if let deadline {
                let left = clock.now.duration(to: deadline).components
                remaining = Int32(clamping: max(0, left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000))
            }
            wtimeout(window, remaining)
            var code: wint_t = 0
            let result = wget_wch(window, &code)
            if result == KEY_CODE_YES {
                if code == wint_t(KEY_RESIZE) {
                    // ncurses has resized stdscr; its old contents are not what is on screen.
                    needsFullRedraw = true
                    return .resize(size)
                }
                if let key = Self.decode(code: UInt32(code), isFunctionKey: true) { return .key(key) }
            } else if result == OK {
                if let key = Self.decode(code: UInt32(code), isFunctionKey: false) { return .key(key) }
            } else {
                // ERR is a timeout, or the terminal is gone (ssh dropped, window
                // closed): then every read fails at once, forever, so say so.
                return Self.inputHungUp(fd: STDIN_FILENO) ? .hangup : nil
            }
            if let deadline, clock.now >= deadline { return nil }
        }
    }

    /// Whether the terminal behind `fd` has hung up (poll reports HUP/ERR, or a read would see end of file).
    static func inputHungUp(fd: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, 0) == 1 else { return false }
        return entry.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// Repaints everything on the next draw (after the terminal was disturbed, e.g. Ctrl-L).
    public func invalidate() {
        needsFullRedraw = true
    }

    /// Copies the grid to the screen, writing only the cells that changed since
    /// the last draw, then shows the cursor at `cursor` or hides it.
    public func draw(_ grid: Grid, cursor: (x: Int, y: Int)?) {
        guard !stopped else { return }
        let visible = size
        if needsFullRedraw {
            werase(window)
            clearok(window, true)
            shown = nil
        }
        var lastStyle: Style?
        for run in CellRun.changes(from: shown, to: grid, visible: visible) {
            if run.style != lastStyle {
                apply(CursesStyle(run.style, colors: hasColors))
                lastStyle = run.style
            }
            // ERR at the bottom-right cell is expected: the cursor cannot move past
            // it (and, without scrollok, nothing scrolls); the character is drawn.
            _ = mvwaddnstr(window, Int32(run.y), Int32(run.x), run.text, -1)
        }
        caisse_attr_set(window, caisse_a_normal(), 0)
        shown = grid
        needsFullRedraw = false

        if let cursor, cursor.x >= 0, cursor.y >= 0, cursor.x < visible.width, cursor.y < visible.height {
            setCursor(visible: true)
            wmove(window, Int32(cursor.y), Int32(cursor.x))
        } else {
            setCursor(visible: false)
        }
        wrefresh(window)
    }

    private func apply(_ style: CursesStyle) {
        var attrs = caisse_a_normal()
        if style.bold { attrs |= caisse_a_bold() }
        if style.dim { attrs |= caisse_a_dim() }
        if style.reverse { attrs |= caisse_a_reverse() }
        caisse_attr_set(window, attrs, style.pair)
    }

    private func setCursor(visible: Bool) {
        guard cursorVisible != visible else { return }
        curs_set(visible ? 1 : 0)  // ERR on terminals that cannot hide it: nothing to do.
        cursorVisible = visible
    }

    /// Gives the terminal back (endwin). Idempotent; also done by deinit and,
    /// if the process ends first, by the exit and signal handlers.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        CursesSession.end()
    }
}

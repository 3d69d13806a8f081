import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A shell command (`/bin/sh -c`) started in a process group of its own, with stdin, stdout
/// and stderr on files (no pipe can fill up and block it). ``run(timeout:)`` waits at most
/// `timeout` seconds; when the command ends or times out, every process left in its group is
/// killed (`SIGKILL`), so nothing it started outlives it — a timed-out `sleep 10` is gone at
/// the timeout, not ten seconds later.
///
/// Processes that leave the group on purpose (`setsid`, `setpgid`) are outside its reach.
struct ProcessGroupCommand {
    /// How the command ended.
    enum Termination: Equatable {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it.
        case signalled(Int32)
        /// It ran past the timeout and its group was killed.
        case timedOut
    }

    /// A system call that failed: which, and its `errno`.
    struct SystemError: Error, CustomStringConvertible {
        /// The call (`posix_spawn`, `waitid`).
        let call: String
        /// Its `errno`.
        let code: Int32
        /// "posix_spawn: No such file or directory".
        var description: String { "\(call): \(String(cString: strerror(code)))" }
    }

    /// The shell command.
    let command: String
    /// Paths of the files that become the command's stdin, stdout and stderr (the last two are
    /// created or truncated).
    let input: String, output: String, error: String

    /// Runs the command and waits for it, at most `timeout` seconds.
    func run(timeout: Double) throws(SystemError) -> Termination {
        let pid = try spawn()
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            // Wait without reaping: while the leader is an unreaped zombie its id (the group's
            // id) cannot be reused, so killing the group below cannot hit another process.
            var info = siginfo_t()
            if waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 {
                if info.si_signo == SIGCHLD { break }
            } else if errno != EINTR {
                let code = errno
                kill(-pid, SIGKILL)
                throw SystemError(call: "waitid", code: code)
            }
            if Date() >= deadline {
                kill(-pid, SIGKILL)
                _ = reap(pid)
                return .timedOut
            }
            usleep(2_000)
        }
        kill(-pid, SIGKILL)  // whatever the command left running in its group
        let status = reap(pid)
        return status & 0x7F == 0 ? .exited((status >> 8) & 0xFF) : .signalled(status & 0x7F)
    }

    /// Starts `/bin/sh -c command` as the leader of a new process group, with the default
    /// `SIGPIPE` action (a caller that ignores it must not pass that on to the pipelines).
    private func spawn() throws(SystemError) -> pid_t {
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, error, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)

        let words: [String] = ["/bin/sh", "-c", command]
        let variables: [String] = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let environment: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer { for pointer in arguments + environment { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, arguments, environment)
        guard result == 0 else { throw SystemError(call: "posix_spawn", code: result) }
        return pid
    }

    /// Reaps `pid` and returns its wait status.
    private func reap(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status
    }
}

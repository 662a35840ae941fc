#include "process.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace attnlab {
namespace {

// The process group of the run in progress, for the signal handler below: a learner's test that
// loops, or a build's compilers, must not outlive attnlab when it is stopped (Ctrl+C, the page
// going away, the terminal closing). A handler may only touch a sig_atomic_t and call kill/raise.
volatile std::sig_atomic_t running_group = 0;

extern "C" void stop_run_and_die(int sig) {
    if (running_group > 0) kill(-static_cast<pid_t>(running_group), SIGKILL);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

void stop_runs_with_attnlab() {
    static const bool installed = [] {
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) std::signal(sig, stop_run_and_die);
        return true;
    }();
    (void)installed;
}

}  // namespace

void die_with_parent() {
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // SIGTERM: the handler above takes the run down too
    if (getppid() == 1) std::raise(SIGTERM);
}

std::string seconds_text(double seconds) {
    std::ostringstream s;
    s << seconds << " s";
    return s.str();
}

run_result run_capture(const std::vector<std::string>& argv, const run_limits& limits) {
    stop_runs_with_attnlab();
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        setpgid(0, 0);  // its own group: a kill at the limit reaches everything it starts
        // If attnlab itself is killed (the page went away, or the server's own limit), the run
        // goes with it: an exercise looping forever is never left behind.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127);
        if (limits.memory_bytes) {
            const rlimit cap{limits.memory_bytes, limits.memory_bytes};
            setrlimit(RLIMIT_AS, &cap);
        }
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        const std::string msg = "cannot run " + argv[0] + ": " + std::strerror(errno) + "\n";
        (void)!write(2, msg.data(), msg.size());
        _exit(127);
    }
    setpgid(pid, pid);  // also here, so the group exists before any kill below
    running_group = pid;
    close(fds[1]);
    run_result result;
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + std::chrono::duration<double>(limits.seconds);
    char buf[4096];
    for (;;) {
        int wait_ms = -1;
        if (limits.seconds > 0) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
            if (left <= 0) {
                result.timed_out = true;
                kill(-pid, SIGKILL);
                break;
            }
            wait_ms = static_cast<int>(left);
        }
        pollfd p{fds[0], POLLIN, 0};
        const int ready = poll(&p, 1, wait_ms);
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) continue;  // the deadline: checked at the top
        const ssize_t got = read(fds[0], buf, sizeof buf);
        if (got > 0 && result.output.size() < limits.max_output)  // past it, read and dropped
            result.output.append(
                buf, static_cast<std::size_t>(std::min<std::size_t>(got, limits.max_output - result.output.size())));
        else if (got > 0)
            result.output_truncated = true;
        else if (got == 0 || errno != EINTR)
            break;
    }
    close(fds[0]);
    int status = 0;
    for (;;) {  // a program may close its output and run on: the limit holds until it exits
        const pid_t done = waitpid(pid, &status, limits.seconds > 0 ? WNOHANG : 0);
        if (done == pid || (done < 0 && errno != EINTR)) break;
        if (done != 0) continue;
        if (clock::now() >= deadline) {
            result.timed_out = true;
            kill(-pid, SIGKILL);
        }
        usleep(20000);
    }
    kill(-pid, SIGKILL);  // nothing it started outlives it
    running_group = 0;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

}  // namespace attnlab

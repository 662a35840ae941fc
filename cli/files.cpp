// cli/files.cpp — see files.hpp.
#include "files.hpp"

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <optional>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace attnlab {
namespace {

std::string folder_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

// The temporary file being written, for the signal handler: a fixed buffer, since a handler
// may call only async-signal-safe functions (unlink, signal, raise).
char pending[PATH_MAX + 64] = {0};

extern "C" void remove_pending_and_die(int sig) {
    if (pending[0]) unlink(pending);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

constexpr int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

/// Blocks the caught signals while alive: a signal between mkstemp and the handler's install
/// would otherwise leave the temporary file behind.
struct signals_held {
    signals_held() {
        sigset_t set;
        sigemptyset(&set);
        for (int sig : caught) sigaddset(&set, sig);
        sigprocmask(SIG_BLOCK, &set, &old);
    }
    ~signals_held() { sigprocmask(SIG_SETMASK, &old, nullptr); }
    sigset_t old{};
};

struct pending_file {
    explicit pending_file(const std::string& tmp) {
        for (int sig : caught) previous.push_back(std::signal(sig, remove_pending_and_die));
        std::strncpy(pending, tmp.c_str(), sizeof pending - 1);
    }
    ~pending_file() {
        if (pending[0]) unlink(pending);  // the rename did not happen: nothing half-written stays
        pending[0] = 0;
        for (std::size_t k = 0; k < previous.size(); ++k) std::signal(caught[k], previous[k]);
    }
    void renamed() { pending[0] = 0; }
    std::vector<void (*)(int)> previous;
};

}  // namespace

void check_writable(const std::string& path) {
    const std::string dir = folder_of(path);
    if (access(dir.c_str(), W_OK) != 0)
        throw file_error("cannot write '" + path + "' (does its folder exist? is it writable?)");
    struct stat st {};
    if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        throw file_error("cannot write '" + path + "': it is a folder; name a file to write");
}

void refuse_input_as_output(const std::string& out_flag, const std::string& out,
                            const std::vector<std::pair<std::string, std::string>>& inputs) {
    struct stat o {};
    if (stat(out.c_str(), &o) != 0) return;  // no such file yet: it cannot be an input
    for (const auto& [flag, path] : inputs) {
        struct stat i {};
        if (path.empty() || stat(path.c_str(), &i) != 0) continue;
        if (i.st_dev == o.st_dev && i.st_ino == o.st_ino)
            throw file_error(out_flag + " " + out + " is the same file as " + flag + " " + path +
                             ": writing it would destroy your input. Name another output file (nothing was "
                             "written)");
    }
}

void write_atomically(const std::string& path, const std::string& bytes) {
    const std::string dir = folder_of(path);
    const auto slash = path.rfind('/');
    const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    std::string tmp = (dir == "/" ? "" : dir) + "/." + base + ".attnlab-XXXXXX";
    if (tmp.size() >= PATH_MAX) throw file_error("cannot write '" + path + "': the path is too long");
    std::optional<signals_held> held(std::in_place);  // until the handler knows the file's name
    const int fd = mkstemp(tmp.data());
    if (fd < 0) throw file_error("cannot write '" + path + "' (does its folder exist? is it writable?)");
    pending_file guard(tmp);
    held.reset();  // a signal that came meanwhile is delivered now, and removes the file
    const mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);  // as a plain open() would have made it, not mkstemp's 0600
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const std::string why = std::strerror(errno);
            close(fd);
            throw file_error("writing '" + path + "' failed (" + why + "); the old file, if any, is untouched");
        }
        done += std::size_t(n);
    }
    const bool synced = fsync(fd) == 0;
    const int err = errno;
    if (close(fd) != 0 || !synced)
        throw file_error("writing '" + path + "' failed (" + std::strerror(synced ? errno : err) +
                         "); the old file, if any, is untouched");
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
        throw file_error("cannot write '" + path + "' (" + std::strerror(errno) + ")");
    guard.renamed();
}

}  // namespace attnlab

// The fake hypervisor's socket side: the real ctl::Endpoint behind a UNIX socket.
#include "fake_hypervisor.hpp"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace rthv::test {

namespace {

class FdSink final : public ctl::ByteSink {
public:
    explicit FdSink(int fd) : fd_(fd) {}
    void write(const uint8_t* bytes, size_t n) override {
        while (n > 0) {
            const ssize_t w = ::send(fd_, bytes, n, MSG_NOSIGNAL);
            if (w <= 0) return; // client gone; the next accept starts afresh
            bytes += w;
            n -= static_cast<size_t>(w);
        }
    }

private:
    int fd_;
};

bool wait_readable(int fd, const std::atomic<bool>& stop) {
    while (!stop.load()) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 20) > 0) return true;
    }
    return false;
}

} // namespace

FakeHypervisor::FakeHypervisor(ctl::Dispatcher& dispatcher) : dispatcher_(dispatcher) {
    char tmpl[] = "/tmp/rthv-xl-test-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    path_ = dir_ + "/ctl.sock";
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
    if (::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 4) != 0)
        throw std::runtime_error("cannot listen on " + path_);
    thread_ = std::thread([this] { serve(); });
}

FakeHypervisor::~FakeHypervisor() {
    stop_.store(true);
    thread_.join();
    ::close(listen_fd_);
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
}

void FakeHypervisor::serve() {
    while (wait_readable(listen_fd_, stop_)) {
        const int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        FdSink sink(fd);
        // A fresh Endpoint per connection mirrors the hypervisor's reset_link() on reconnect;
        // it lives on the heap only because it is large for a test thread's stack.
        auto endpoint = std::make_unique<ctl::Endpoint>(dispatcher_, sink);
        uint8_t buf[4096];
        while (wait_readable(fd, stop_)) {
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) break;
            bytes_received_ += static_cast<uint64_t>(n);
            endpoint->receive(buf, static_cast<size_t>(n));
        }
        ::close(fd);
    }
}

} // namespace rthv::test

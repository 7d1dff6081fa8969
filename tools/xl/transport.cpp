#include "tools/xl/transport.hpp"

#include "tools/xl/error.hpp"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace rthv::xl {

UnixTransport::UnixTransport(const std::string& path) : path_(path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) throw XlError("control socket path too long: " + path);
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw XlError(std::string("cannot create socket: ") + std::strerror(errno));
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        const int e = errno;
        ::close(fd_);
        fd_ = -1;
        throw XlError("no hypervisor at " + path + " (" + std::strerror(e) +
                      "); start it with './rthv run' or set RTHV_CTL to its control socket");
    }
}

UnixTransport::~UnixTransport() {
    if (fd_ >= 0) ::close(fd_);
}

void UnixTransport::send(const uint8_t* bytes, size_t n) {
    while (n > 0) {
        const ssize_t w = ::send(fd_, bytes, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) throw XlError("lost the hypervisor at " + path_ + ": " + std::strerror(errno));
        bytes += w;
        n -= static_cast<size_t>(w);
    }
}

size_t UnixTransport::receive(uint8_t* buf, size_t cap, int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    int r;
    do {
        r = ::poll(&p, 1, timeout_ms);
    } while (r < 0 && errno == EINTR);
    if (r < 0) throw XlError(std::string("poll failed: ") + std::strerror(errno));
    if (r == 0) return 0;
    const ssize_t n = ::recv(fd_, buf, cap, 0);
    if (n < 0) throw XlError("lost the hypervisor at " + path_ + ": " + std::strerror(errno));
    if (n == 0) throw XlError("the hypervisor at " + path_ + " closed the connection");
    return static_cast<size_t>(n);
}

} // namespace rthv::xl

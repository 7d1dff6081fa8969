// A connected UNIX stream socket to the hypervisor's control channel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace rthv::xl {

class Transport {
public:
    virtual ~Transport() = default;
    virtual void send(const uint8_t* bytes, size_t n) = 0; // throws XlError
    // Reads what is available, waiting at most timeout_ms; returns 0 on timeout. Throws on
    // error or when the peer closed the connection.
    virtual size_t receive(uint8_t* buf, size_t cap, int timeout_ms) = 0;
};

class UnixTransport final : public Transport {
public:
    // Throws XlError with a one-line explanation if nothing listens at path.
    explicit UnixTransport(const std::string& path);
    ~UnixTransport() override;
    UnixTransport(const UnixTransport&) = delete;
    UnixTransport& operator=(const UnixTransport&) = delete;
    void send(const uint8_t* bytes, size_t n) override;
    size_t receive(uint8_t* buf, size_t cap, int timeout_ms) override;

private:
    int fd_ = -1;
    std::string path_;
};

} // namespace rthv::xl

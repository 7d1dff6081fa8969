// xl console DOMAIN: a Linux domain's serial console, as Xen's `xl console` attaches to a
// guest's. Output streams from the start of what the hypervisor still holds; what is typed goes
// to the guest's UART. On a terminal the input is raw (every key goes to the guest, which
// echoes it) and Ctrl-] leaves, as in Xen; from a pipe the session ends once the input is
// exhausted and the guest has been quiet for kQuietMs, so scripts can drive a shell.
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>

#include "tools/xl/client.hpp"
#include "tools/xl/error.hpp"
#include "tools/xl/xl.hpp"

namespace rthv::xl {
namespace {

constexpr uint8_t kLeaveKey = 0x1d; // Ctrl-]
constexpr int kPollMs = 50;
constexpr int kQuietMs = 1500;

class StdinInput final : public ConsoleInput {
public:
    StdinInput() : tty_(isatty(0) != 0) {
        if (tty_ && tcgetattr(0, &saved_) == 0) {
            termios raw = saved_;
            cfmakeraw(&raw);
            raw.c_oflag = saved_.c_oflag; // keep \n -> \r\n on our own output
            restore_ = tcsetattr(0, TCSANOW, &raw) == 0;
        }
    }
    ~StdinInput() {
        if (restore_) tcsetattr(0, TCSANOW, &saved_);
    }
    int read(uint8_t* buf, size_t cap, int timeout_ms) override {
        pollfd p{0, POLLIN, 0};
        int r = poll(&p, 1, timeout_ms);
        if (r <= 0) return 0;
        ssize_t n = ::read(0, buf, cap);
        return n > 0 ? static_cast<int>(n) : -1;
    }
    bool interactive() const override { return tty_; }

private:
    bool tty_;
    bool restore_ = false;
    termios saved_{};
};

} // namespace

void cmd_console(const std::vector<std::string>& args, Session& s, Io io) {
    if (args.empty()) throw XlError("missing domain (e.g. 'xl console linux')");
    if (args.size() > 1) throw XlError("unexpected argument '" + args[1] + "'");
    Client& c = s.client();
    const uint32_t domid = find_domain(c.domains(), args[0]).id;
    StdinInput stdin_input;
    ConsoleInput& in = io.in != nullptr ? *io.in : stdin_input;
    uint64_t from = 0;
    bool input_open = true;
    auto last_output = std::chrono::steady_clock::now();
    for (;;) {
        std::string typed;
        if (input_open) {
            uint8_t buf[ctl::kMaxConsoleInput];
            int n = in.read(buf, sizeof buf, kPollMs);
            if (n < 0) input_open = false;
            for (int i = 0; i < n; ++i) {
                if (buf[i] == kLeaveKey && in.interactive()) return;
                typed.push_back(static_cast<char>(buf[i]));
            }
        } else {
            usleep(kPollMs * 1000);
        }
        ctl::ConsoleChunk chunk = c.guest_console(domid, typed, from);
        if (chunk.length > 0) {
            io.out.write(reinterpret_cast<const char*>(chunk.data), chunk.length);
            io.out.flush();
            last_output = std::chrono::steady_clock::now();
        }
        from = chunk.start + chunk.length;
        const auto quiet = std::chrono::steady_clock::now() - last_output;
        if (!input_open && !in.interactive() && from >= chunk.end &&
            quiet > std::chrono::milliseconds(kQuietMs))
            return;
    }
}

} // namespace rthv::xl
